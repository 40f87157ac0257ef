// Placeholder until the command is built (see the open issues); replaced by the real module.
export async function main(_argv: string[]): Promise<number> {
  console.error('augmix preview: not built yet');
  return 3;
}
