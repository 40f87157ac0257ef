import { execFileSync } from 'node:child_process';

/** Builds `dist/` once per test run, so end-to-end tests spawn the same CLI a user runs. */
export default function setup(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
}
