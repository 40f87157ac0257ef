import { syntheticPhoto } from './dist/bench/synthetic-input.js';
import { mixImages } from './dist/src/augmix/mix.js';
import { affineBilinear } from './dist/src/augmix/ops/affine.js';
import { useSimdKernels } from './dist/src/augmix/ops/simd/kernels.js';

const size = Number(process.argv[2] ?? 224);
const img = syntheticPhoto(size, size, 1),
  a = syntheticPhoto(size, size, 2),
  b = syntheticPhoto(size, size, 3),
  c = syntheticPhoto(size, size, 4);
const cases = {
  mix: () => mixImages(img, [a, b, c], [0.2, 0.3, 0.5], 0.4),
  shearX: () => affineBilinear(img, [1, 0.17, 0, 0, 1, 0]),
  shearY: () => affineBilinear(img, [1, 0, 0, 0.17, 1, 0]),
  rotate: () => affineBilinear(img, [0.97, 0.24, -20, -0.24, 0.97, 30]),
};
const reps = size > 1000 ? 5 : 200;
for (const [name, f] of Object.entries(cases)) {
  const res = {};
  for (const on of [true, false, true, false]) {
    useSimdKernels(on);
    for (let i = 0; i < 3; i++) f();
    const s = performance.now();
    for (let i = 0; i < reps; i++) f();
    const ms = (performance.now() - s) / reps;
    res[on ? 'wasm' : 'js'] = Math.min(res[on ? 'wasm' : 'js'] ?? 1e9, ms);
  }
  console.log(
    size,
    name,
    'wasm',
    res.wasm.toFixed(3),
    'js',
    res.js.toFixed(3),
    'speedup',
    (res.js / res.wasm).toFixed(2),
  );
}
