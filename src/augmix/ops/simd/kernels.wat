;; The hot loops of the AugMix core in WebAssembly (SIMD, f64x2): the bilinear sampling of the geometric ops
;; and the 8-bit mix (and, in the last blocks, those of the codec's small-PNG writer and JPEG writer and reader,
;; which share this module: integer kernels, exact by construction, each block stating its rules). Each
;; function computes exactly the float64 expressions of its TypeScript twin
;; (src/augmix/ops/affine.ts, src/augmix/mix.ts) in the same order; WebAssembly's f64 operations are IEEE 754
;; binary64 with round-to-nearest-even and no fused multiply-add, so every value gets the same bits.
;; Compiled by scripts/build-wasm.mjs (wabt) into kernels-wasm.ts; edit this file, then rerun that script.
;; The look-up-table, sharpness and color/contrast blocks (integer and f32x4 kernels) state their own exactness.
;;
;; Pixels are 3 bytes (RGB). A pixel is loaded as 4 bytes (its 3 channels and one byte past them, ignored), so
;; every source image is followed by 4 bytes of padding in memory. Channels 0-1 go in one f64x2, 2-3 in another.
;; Helpers are macros, expanded by scripts/build-wasm.mjs before wabt compiles the module (V8 does not inline
;; small WebAssembly functions, and a call per pixel costs more than its arithmetic): `;;#define name(a, b) body`
;; defines one; `#name(x, y)` in the code becomes body with a := x and b := y (arguments are s-expressions or
;; names, separated by commas).
;;
;; the 4 bytes at p as i32x4
;;#define load4(p) (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u (v128.load32_zero p)))
;; lanes 0-1 / 2-3 of an i32x4 (values below 2^31) as f64x2
;;#define lo(v) (f64x2.convert_low_i32x4_s v)
;;#define hi(v) (f64x2.convert_low_i32x4_s (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 v v))
;; truncates [v0, v1] and [v2, v3] (each in 0..255) into 4 bytes of an i32, byte 0 lowest (w: a v128 local)
;;#define pack(a, b, w) (local.set w (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (i32x4.trunc_sat_f64x2_s_zero a) (i32x4.trunc_sat_f64x2_s_zero b))) (i32x4.extract_lane 0 (i8x16.narrow_i16x8_u (i16x8.narrow_i32x4_u (local.get w) (local.get w)) (i16x8.narrow_i32x4_u (local.get w) (local.get w))))
;; writes the low 3 bytes of the i32 v at the address in local o (scratch: local $px)
;;#define store3(o, v) (local.set $px v) (i32.store16 (local.get o) (local.get $px)) (i32.store8 offset=2 (local.get o) (i32.shr_u (local.get $px) (i32.const 16)))
;; mix.ts mixValue3 on f64x2 lanes (weights in locals $vwa $vwb $vwc $vkeep $vm; scratch: local $acc)
;;#define mixQuad(o, a, b, c) (local.set $acc (f64x2.add (f64x2.splat (f64.const 0)) (f64x2.mul (local.get $vwa) a))) (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $vwb) b))) (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $vwc) c))) (f64x2.min (f64x2.splat (f64.const 255)) (f64x2.max (f64x2.splat (f64.const 0)) (f64x2.floor (f64x2.add (f64x2.add (f64x2.mul (local.get $vkeep) o) (f64x2.mul (local.get $vm) (local.get $acc))) (f64x2.splat (f64.const 0.5))))))

;; ---- the width-3 mix in float32 with an exact fallback (mix.ts mix3Simd) ----
;; u8 lanes 4q..4q+3 of the v128 v as f32x4 (the signed conversion: the same for values below 2^31, and one
;; instruction on x86-64, where the unsigned one is a sequence of about eight)
;;#define q0(v) (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u v)))
;;#define q1(v) (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (i16x8.extend_low_i8x16_u v)))
;;#define q2(v) (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (i16x8.extend_high_i8x16_u v)))
;;#define q3(v) (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (i16x8.extend_high_i8x16_u v)))
;; ((keep*o) + m*((wa*a + wb*b) + wc*c)) + 0.5 in f32x4, into local r; then floor into local fl, and the lanes
;; whose fraction lies within eps of an integer are or-ed into local $near
;; an f32x4 of whole numbers in [0, 255] as i32x4: v + 2^23 is exact, and its low mantissa byte is v (one add and one
;; and, where i32x4.trunc_sat_f32x4_s takes a longer sequence on x86-64)
;;#define fByte(v) (v128.and (f32x4.add v (v128.const f32x4 0x1p23 0x1p23 0x1p23 0x1p23)) (v128.const i32x4 255 255 255 255))
;;#define mixF32(o, a, b, c, r, fl) (local.set r (f32x4.add (f32x4.add (f32x4.mul (local.get $fkeep) o) (f32x4.mul (local.get $fm) (f32x4.add (f32x4.add (f32x4.mul (local.get $fwa) a) (f32x4.mul (local.get $fwb) b)) (f32x4.mul (local.get $fwc) c)))) (local.get $half))) (local.set fl (f32x4.floor (local.get r))) (local.set r (f32x4.sub (local.get r) (local.get fl))) (local.set $near (v128.or (local.get $near) (v128.or (f32x4.lt (local.get r) (local.get $eps)) (f32x4.gt (local.get r) (local.get $oneLessEps)))))

(module
  (memory (export "memory") 1)

  ;; ---- look-up-table ops (lut-ops.ts) ----
  ;; Each works in place on $n bytes at $p, the interleaved RGB values of whole pixels (lut-ops-simd.ts copies
  ;; an image through memory a chunk at a time). The vector ones step 16 bytes and also rewrite up to 15 bytes
  ;; past $n, so the caller leaves 16 bytes of room there and never reads them back.
;;#define bump(v, at) (local.set $h (i32.add (local.get $hist) (i32.shl v (i32.const 2)))) (i32.store offset=at (local.get $h) (i32.add (i32.load offset=at (local.get $h)) (i32.const 1)))
;;#define lookup(q, k, table) (i32.store8 offset=k q (i32.load8_u offset=table (i32.add (local.get $lut) (i32.load8_u offset=k q))))

  ;; v & $mask on every byte (posterize: the table i & mask, as a bit operation)
  (func (export "lutMask") (param $p i32) (param $n i32) (param $mask i32)
    (local $end i32) (local $m v128)
    (local.set $m (i8x16.splat (local.get $mask)))
    (local.set $end (i32.add (local.get $p) (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (v128.store (local.get $p) (v128.and (v128.load (local.get $p)) (local.get $m)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next))))

  ;; v < $t ? v : 255 - v on every byte, $t in 0..255 (solarize; 255 - v is v xor 0xff)
  (func (export "lutSolarize") (param $p i32) (param $n i32) (param $t i32)
    (local $end i32) (local $vt v128) (local $ones v128) (local $v v128)
    (local.set $vt (i8x16.splat (local.get $t)))
    (local.set $ones (i8x16.splat (i32.const 255)))
    (local.set $end (i32.add (local.get $p) (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (v128.load (local.get $p)))
        (v128.store (local.get $p)
          (v128.bitselect
            (v128.xor (local.get $v) (local.get $ones))
            (local.get $v)
            (i8x16.ge_u (local.get $v) (local.get $vt))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next))))

  ;; Adds the channel histograms of the pixels at $p to 8 sets of 3 x 256 u32 counts at $hist (3072 bytes
  ;; each; channel c of set s at $hist + s*3072 + c*1024): pixel j of every 8-pixel group counts in set j, so
  ;; that runs of equal values (flat areas) spread over 8 counters instead of waiting on one. The caller sums
  ;; the sets. The pixels after the last whole group count in set 0.
  (func (export "lutHistograms") (param $p i32) (param $n i32) (param $hist i32)
    (local $end i32) (local $groupsEnd i32) (local $h i32)
    (local.set $end (i32.add (local.get $p) (local.get $n)))
    (local.set $groupsEnd
      (i32.add (local.get $p) (i32.mul (i32.div_u (local.get $n) (i32.const 24)) (i32.const 24))))
    (block $groupsDone
      (loop $groups
        (br_if $groupsDone (i32.ge_u (local.get $p) (local.get $groupsEnd)))
        #bump((i32.load8_u offset=0 (local.get $p)), 0)
        #bump((i32.load8_u offset=1 (local.get $p)), 1024)
        #bump((i32.load8_u offset=2 (local.get $p)), 2048)
        #bump((i32.load8_u offset=3 (local.get $p)), 3072)
        #bump((i32.load8_u offset=4 (local.get $p)), 4096)
        #bump((i32.load8_u offset=5 (local.get $p)), 5120)
        #bump((i32.load8_u offset=6 (local.get $p)), 6144)
        #bump((i32.load8_u offset=7 (local.get $p)), 7168)
        #bump((i32.load8_u offset=8 (local.get $p)), 8192)
        #bump((i32.load8_u offset=9 (local.get $p)), 9216)
        #bump((i32.load8_u offset=10 (local.get $p)), 10240)
        #bump((i32.load8_u offset=11 (local.get $p)), 11264)
        #bump((i32.load8_u offset=12 (local.get $p)), 12288)
        #bump((i32.load8_u offset=13 (local.get $p)), 13312)
        #bump((i32.load8_u offset=14 (local.get $p)), 14336)
        #bump((i32.load8_u offset=15 (local.get $p)), 15360)
        #bump((i32.load8_u offset=16 (local.get $p)), 16384)
        #bump((i32.load8_u offset=17 (local.get $p)), 17408)
        #bump((i32.load8_u offset=18 (local.get $p)), 18432)
        #bump((i32.load8_u offset=19 (local.get $p)), 19456)
        #bump((i32.load8_u offset=20 (local.get $p)), 20480)
        #bump((i32.load8_u offset=21 (local.get $p)), 21504)
        #bump((i32.load8_u offset=22 (local.get $p)), 22528)
        #bump((i32.load8_u offset=23 (local.get $p)), 23552)
        (local.set $p (i32.add (local.get $p) (i32.const 24)))
        (br $groups)))
    (block $done
      (loop $pixels
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        #bump((i32.load8_u offset=0 (local.get $p)), 0)
        #bump((i32.load8_u offset=1 (local.get $p)), 1024)
        #bump((i32.load8_u offset=2 (local.get $p)), 2048)
        (local.set $p (i32.add (local.get $p) (i32.const 3)))
        (br $pixels))))

  ;; Maps every value through its channel's table: 3 x 256 bytes at $lut (R, G, B)
  (func (export "lutApplyChannels") (param $p i32) (param $n i32) (param $lut i32)
    (local $end i32) (local $groupsEnd i32)
    (local.set $end (i32.add (local.get $p) (local.get $n)))
    (local.set $groupsEnd
      (i32.add (local.get $p) (i32.mul (i32.div_u (local.get $n) (i32.const 12)) (i32.const 12))))
    (block $groupsDone
      (loop $groups
        (br_if $groupsDone (i32.ge_u (local.get $p) (local.get $groupsEnd)))
        #lookup((local.get $p), 0, 0)
        #lookup((local.get $p), 1, 256)
        #lookup((local.get $p), 2, 512)
        #lookup((local.get $p), 3, 0)
        #lookup((local.get $p), 4, 256)
        #lookup((local.get $p), 5, 512)
        #lookup((local.get $p), 6, 0)
        #lookup((local.get $p), 7, 256)
        #lookup((local.get $p), 8, 512)
        #lookup((local.get $p), 9, 0)
        #lookup((local.get $p), 10, 256)
        #lookup((local.get $p), 11, 512)
        (local.set $p (i32.add (local.get $p) (i32.const 12)))
        (br $groups)))
    (block $done
      (loop $pixels
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        #lookup((local.get $p), 0, 0)
        #lookup((local.get $p), 1, 256)
        #lookup((local.get $p), 2, 512)
        (local.set $p (i32.add (local.get $p) (i32.const 3)))
        (br $pixels))))

  ;; Maps every byte through one 256-byte table at $lut (8 bytes a step, then one at a time)
  (func (export "lutMapBytes") (param $p i32) (param $n i32) (param $lut i32)
    (local $end i32) (local $stepsEnd i32)
    (local.set $end (i32.add (local.get $p) (local.get $n)))
    (local.set $stepsEnd (i32.add (local.get $p) (i32.and (local.get $n) (i32.const -8))))
    (block $stepsDone
      (loop $steps
        (br_if $stepsDone (i32.ge_u (local.get $p) (local.get $stepsEnd)))
        #lookup((local.get $p), 0, 0)
        #lookup((local.get $p), 1, 0)
        #lookup((local.get $p), 2, 0)
        #lookup((local.get $p), 3, 0)
        #lookup((local.get $p), 4, 0)
        #lookup((local.get $p), 5, 0)
        #lookup((local.get $p), 6, 0)
        #lookup((local.get $p), 7, 0)
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $steps)))
    (block $done
      (loop $bytes
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        #lookup((local.get $p), 0, 0)
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $bytes))))
  ;; The $sets sets of $counts (a multiple of 4) u32 counters at $at summed into the first set, 4 a step (the
  ;; histogram kernels count into several sets, so that runs of one value do not wait on one counter).
  (func (export "sumCounterSets") (param $at i32) (param $sets i32) (param $counts i32)
    (local $i i32) (local $s i32) (local $setBytes i32) (local $p i32) (local $sum v128)
    (local.set $setBytes (i32.shl (local.get $counts) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $setBytes)))
        (local.set $p (i32.add (local.get $at) (local.get $i)))
        (local.set $sum (v128.load (local.get $p)))
        (local.set $s (i32.const 1))
        (block $setsDone
          (loop $setLoop
            (br_if $setsDone (i32.ge_u (local.get $s) (local.get $sets)))
            (local.set $p (i32.add (local.get $p) (local.get $setBytes)))
            (local.set $sum (i32x4.add (local.get $sum) (v128.load (local.get $p))))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (br $setLoop)))
        (v128.store (i32.add (local.get $at) (local.get $i)) (local.get $sum))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))
  ;; Folds the per-channel smallest and largest values of the pixels at $p ($n bytes, whole pixels, $p at a
  ;; pixel's first byte) into 6 i32 at $range (min R, G, B, then max R, G, B; start them at 255 and 0), for
  ;; autocontrast: 48 bytes (3 vectors, whose lanes hold fixed channels) a step with i8x16.min_u/max_u, then the
  ;; lanes and the last bytes one at a time. $scratch: 96 bytes.
  (func (export "lutChannelRanges") (param $p i32) (param $n i32) (param $range i32) (param $scratch i32)
    (local $end i32) (local $stepsEnd i32) (local $i i32) (local $c i32) (local $v i32) (local $at i32)
    (local $mn0 v128) (local $mn1 v128) (local $mn2 v128) (local $mx0 v128) (local $mx1 v128) (local $mx2 v128)
    (local $x v128)
    (local.set $mn0 (i8x16.splat (i32.const 255)))
    (local.set $mn1 (local.get $mn0))
    (local.set $mn2 (local.get $mn0))
    (local.set $end (i32.add (local.get $p) (local.get $n)))
    (local.set $stepsEnd
      (i32.add (local.get $p) (i32.mul (i32.div_u (local.get $n) (i32.const 48)) (i32.const 48))))
    (block $stepsDone
      (loop $steps
        (br_if $stepsDone (i32.ge_u (local.get $p) (local.get $stepsEnd)))
        (local.set $x (v128.load (local.get $p)))
        (local.set $mn0 (i8x16.min_u (local.get $mn0) (local.get $x)))
        (local.set $mx0 (i8x16.max_u (local.get $mx0) (local.get $x)))
        (local.set $x (v128.load offset=16 (local.get $p)))
        (local.set $mn1 (i8x16.min_u (local.get $mn1) (local.get $x)))
        (local.set $mx1 (i8x16.max_u (local.get $mx1) (local.get $x)))
        (local.set $x (v128.load offset=32 (local.get $p)))
        (local.set $mn2 (i8x16.min_u (local.get $mn2) (local.get $x)))
        (local.set $mx2 (i8x16.max_u (local.get $mx2) (local.get $x)))
        (local.set $p (i32.add (local.get $p) (i32.const 48)))
        (br $steps)))
    (v128.store (local.get $scratch) (local.get $mn0))
    (v128.store offset=16 (local.get $scratch) (local.get $mn1))
    (v128.store offset=32 (local.get $scratch) (local.get $mn2))
    (v128.store offset=48 (local.get $scratch) (local.get $mx0))
    (v128.store offset=64 (local.get $scratch) (local.get $mx1))
    (v128.store offset=80 (local.get $scratch) (local.get $mx2))
    ;; the 48 lanes (lane i holds channel i mod 3), then the bytes after the last whole step
    (block $lanesDone
      (loop $lanes
        (br_if $lanesDone (i32.ge_u (local.get $i) (i32.const 48)))
        (local.set $at (i32.add (local.get $range) (i32.shl (i32.rem_u (local.get $i) (i32.const 3)) (i32.const 2))))
        (local.set $v (i32.load8_u (i32.add (local.get $scratch) (local.get $i))))
        (if (i32.lt_u (local.get $v) (i32.load (local.get $at))) (then (i32.store (local.get $at) (local.get $v))))
        (local.set $v (i32.load8_u offset=48 (i32.add (local.get $scratch) (local.get $i))))
        (if (i32.gt_u (local.get $v) (i32.load offset=12 (local.get $at)))
          (then (i32.store offset=12 (local.get $at) (local.get $v))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $lanes)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $at (i32.add (local.get $range) (i32.shl (local.get $c) (i32.const 2))))
        (local.set $v (i32.load8_u (local.get $p)))
        (if (i32.lt_u (local.get $v) (i32.load (local.get $at))) (then (i32.store (local.get $at) (local.get $v))))
        (if (i32.gt_u (local.get $v) (i32.load offset=12 (local.get $at)))
          (then (i32.store offset=12 (local.get $at) (local.get $v))))
        (local.set $c (select (i32.const 0) (i32.add (local.get $c) (i32.const 1)) (i32.eq (local.get $c) (i32.const 2))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $tail))))
  ;; ---- end of look-up-table ops ----

  ;; ---- sharpness (enhance.ts, smooth.ts) ----
  ;; ImageEnhance.Sharpness in f32x4 lanes, 8 values a step (WebAssembly f32 operations are IEEE binary32 with
  ;; round-to-nearest-even, the rounding Math.fround applies to the exact float64 results in smooth.ts and
  ;; blend.ts, so each lane gets the same bits). Values are byte indices of a row: the neighbours of value i
  ;; are i - 3 and i + 3, so consecutive indices go in lanes side by side whatever their channel.
  ;; Constants are set in locals before the loops (V8 still rebuilds some of them on every step, so the steps
  ;; are 8 values wide to share that cost).
  ;; bytes 0-3 / 4-7 of v as f32x4
;;#define low4f(v) (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u v)))
;;#define high4f(v) (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (i16x8.extend_low_i8x16_u v)))
  ;; the blend of blend.ts on 4 lanes, D and P as f32x4 (integers 0..255), alpha in $va: t = fl32(D + fl32(alpha
  ;; (P - D))) clamped to 0..255 (pmax(0, t) maps NaN to 0, as toByte does) and truncated, then plus 2^23 and
  ;; masked: an integer 0..255 in a float32 lane plus 2^23 has that integer as the low byte of its bits; the
  ;; result is that integer in an i32 lane (locals $zero $v255 $magic $lowByte)
;;#define blendf(df, pf) (v128.and (f32x4.add (f32x4.trunc (f32x4.pmin (f32x4.pmax (local.get $zero) (f32x4.add df (f32x4.mul (local.get $va) (f32x4.sub pf df)))) (local.get $v255))) (local.get $magic)) (local.get $lowByte))

  ;; Both kernel rows of one image row (smooth.ts kernelRows): for i = 3 .. $stride - 4, k1 row
  ;; fl32(fl32(fl32(P[i-3] k1) + fl32(P[i] k1)) + fl32(P[i+3] k1)) and k5 row with k5 in the middle, as f32 at
  ;; 4 * i. The last step may compute up to 7 values past the interior (reading up to 7 bytes past the row).
  (func $kernelRows (param $row i32) (param $k1Row i32) (param $k5Row i32) (param $stride i32)
    (local $i i32) (local $end i32) (local $left v128) (local $mid v128) (local $right v128)
    (local $k1 v128) (local $k5 v128) (local $at i32) (local $lo v128) (local $hi v128)
    (local.set $k1 (f32x4.splat (f32.const 0x1.3b13b2p-4))) ;; fl32(1/13)
    (local.set $k5 (f32x4.splat (f32.const 0x1.89d89ep-2))) ;; fl32(5/13)
    (local.set $i (i32.const 3))
    (local.set $end (i32.sub (local.get $stride) (i32.const 3)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
        (local.set $at (i32.add (local.get $row) (local.get $i)))
        (local.set $left (v128.load64_zero (i32.sub (local.get $at) (i32.const 3))))
        (local.set $mid (v128.load64_zero (local.get $at)))
        (local.set $right (v128.load64_zero (i32.add (local.get $at) (i32.const 3))))
        ;; values i .. i+3
        (local.set $lo (f32x4.mul #low4f((local.get $left)) (local.get $k1)))
        (local.set $hi (f32x4.mul #low4f((local.get $right)) (local.get $k1)))
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (v128.store (i32.add (local.get $k1Row) (local.get $at))
          (f32x4.add (f32x4.add (local.get $lo) (f32x4.mul #low4f((local.get $mid)) (local.get $k1))) (local.get $hi)))
        (v128.store (i32.add (local.get $k5Row) (local.get $at))
          (f32x4.add (f32x4.add (local.get $lo) (f32x4.mul #low4f((local.get $mid)) (local.get $k5))) (local.get $hi)))
        ;; values i+4 .. i+7
        (local.set $lo (f32x4.mul #high4f((local.get $left)) (local.get $k1)))
        (local.set $hi (f32x4.mul #high4f((local.get $right)) (local.get $k1)))
        (v128.store offset=16 (i32.add (local.get $k1Row) (local.get $at))
          (f32x4.add (f32x4.add (local.get $lo) (f32x4.mul #high4f((local.get $mid)) (local.get $k1))) (local.get $hi)))
        (v128.store offset=16 (i32.add (local.get $k5Row) (local.get $at))
          (f32x4.add (f32x4.add (local.get $lo) (f32x4.mul #high4f((local.get $mid)) (local.get $k5))) (local.get $hi)))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $next))))

  ;; One output row: D = min(trunc(s), 255) with s = fl32(fl32(fl32(0.5 + below) + centre) + above) (the
  ;; SMOOTH value; s >= 0.5, so truncation toward zero is the integer part), then the blend with P (#blendf);
  ;; the first and last pixel are copied from the source (the filter's border, where D = P). The last step
  ;; may write up to 7 bytes past the interior: the right border, fixed below, and up to 4 bytes after the row.
  (func $sharpenRow
    (param $row i32) (param $out i32) (param $below i32) (param $centre i32) (param $above i32)
    (param $stride i32) (param $va v128)
    (local $i i32) (local $end i32) (local $at i32) (local $p v128) (local $lo v128) (local $hi v128)
    (local $half v128) (local $zero v128) (local $v255 v128) (local $magic v128) (local $lowByte v128)
    (local.set $half (f32x4.splat (f32.const 0.5)))
    (local.set $v255 (f32x4.splat (f32.const 255)))
    (local.set $magic (f32x4.splat (f32.const 0x1p23)))
    (local.set $lowByte (i32x4.splat (i32.const 255)))
    (local.set $i (i32.const 3))
    (local.set $end (i32.sub (local.get $stride) (i32.const 3)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (local.set $p (v128.load64_zero (i32.add (local.get $row) (local.get $i))))
        (local.set $lo
          (f32x4.pmin
            (f32x4.trunc
              (f32x4.add
                (f32x4.add
                  (f32x4.add (local.get $half) (v128.load (i32.add (local.get $below) (local.get $at))))
                  (v128.load (i32.add (local.get $centre) (local.get $at))))
                (v128.load (i32.add (local.get $above) (local.get $at)))))
            (local.get $v255)))
        (local.set $hi
          (f32x4.pmin
            (f32x4.trunc
              (f32x4.add
                (f32x4.add
                  (f32x4.add (local.get $half) (v128.load offset=16 (i32.add (local.get $below) (local.get $at))))
                  (v128.load offset=16 (i32.add (local.get $centre) (local.get $at))))
                (v128.load offset=16 (i32.add (local.get $above) (local.get $at)))))
            (local.get $v255)))
        (local.set $lo #blendf((local.get $lo), #low4f((local.get $p))))
        (local.set $hi #blendf((local.get $hi), #high4f((local.get $p))))
        (local.set $lo (i16x8.narrow_i32x4_u (local.get $lo) (local.get $hi)))
        (v128.store64_lane 0 (i32.add (local.get $out) (local.get $i))
          (i8x16.narrow_i16x8_u (local.get $lo) (local.get $lo)))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $next)))
    ;; the border pixels
    (i32.store16 (local.get $out) (i32.load16_u (local.get $row)))
    (i32.store8 offset=2 (local.get $out) (i32.load8_u offset=2 (local.get $row)))
    (local.set $at (i32.sub (local.get $stride) (i32.const 3)))
    (i32.store16 (i32.add (local.get $out) (local.get $at)) (i32.load16_u (i32.add (local.get $row) (local.get $at))))
    (i32.store8 offset=2 (i32.add (local.get $out) (local.get $at))
      (i32.load8_u offset=2 (i32.add (local.get $row) (local.get $at)))))

  ;; Sharpness of the middle $rows - 2 rows of a block of $rows image rows (each $stride bytes, $stride >= 9) at
  ;; $src, written as $rows - 2 rows at $out, in row order (a row's last step may write into the next row's
  ;; first pixel, which that row then rewrites). $scratch: 5 rows of $stride + 8 f32 (the kernel rows: k1
  ;; rows of the rows above, at and below the output row, its k5 row, and the k5 row of the next). $src has 8
  ;; bytes of room after the block, $out 4.
  (func (export "sharpenRows")
    (param $src i32) (param $out i32) (param $stride i32) (param $rows i32) (param $alpha f32)
    (param $scratch i32)
    (local $rowBytes i32) (local $above i32) (local $current i32) (local $below i32) (local $centre i32)
    (local $nextCentre i32) (local $spare i32) (local $r i32) (local $va v128)
    (local.set $va (f32x4.splat (local.get $alpha)))
    (local.set $rowBytes (i32.shl (i32.add (local.get $stride) (i32.const 8)) (i32.const 2)))
    (local.set $above (local.get $scratch))
    (local.set $current (i32.add (local.get $above) (local.get $rowBytes)))
    (local.set $below (i32.add (local.get $current) (local.get $rowBytes)))
    (local.set $centre (i32.add (local.get $below) (local.get $rowBytes)))
    (local.set $nextCentre (i32.add (local.get $centre) (local.get $rowBytes)))
    ;; the k5 row of row 0 is never used: $nextCentre is only a target here
    (call $kernelRows (local.get $src) (local.get $above) (local.get $nextCentre) (local.get $stride))
    (call $kernelRows (i32.add (local.get $src) (local.get $stride)) (local.get $current) (local.get $centre)
      (local.get $stride))
    (local.set $r (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $r) (i32.sub (local.get $rows) (i32.const 1))))
        (call $kernelRows
          (i32.add (local.get $src) (i32.mul (i32.add (local.get $r) (i32.const 1)) (local.get $stride)))
          (local.get $below) (local.get $nextCentre) (local.get $stride))
        (call $sharpenRow
          (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $stride)))
          (i32.add (local.get $out) (i32.mul (i32.sub (local.get $r) (i32.const 1)) (local.get $stride)))
          (local.get $below) (local.get $centre) (local.get $above) (local.get $stride) (local.get $va))
        ;; move down one row: k1 rows above <- at <- below, k5 rows at <- next
        (local.set $spare (local.get $above))
        (local.set $above (local.get $current))
        (local.set $current (local.get $below))
        (local.set $below (local.get $spare))
        (local.set $spare (local.get $centre))
        (local.set $centre (local.get $nextCentre))
        (local.set $nextCentre (local.get $spare))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $next))))
  ;; ---- end of sharpness ----

  ;; ---- color and contrast (enhance.ts) ----
  ;; bytes 0-3, 4-7, 8-11 of v as i32x4
;;#define bytes0(v) (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u v))
;;#define bytes4(v) (i32x4.extend_high_i16x8_u (i16x8.extend_low_i8x16_u v))
;;#define bytes8(v) (i32x4.extend_low_i16x8_u (i16x8.extend_high_i8x16_u v))

  ;; one 4-pixel group (12 bytes) at q, in place (locals as in colorBlend)
;;#define colorGroup(q) (local.set $v (v128.load q)) (local.set $l (i32x4.shr_u (i32x4.add (i32x4.add (i32x4.add (i32x4.mul (i8x16.swizzle (local.get $v) (local.get $pickR)) (local.get $kR)) (i32x4.mul (i8x16.swizzle (local.get $v) (local.get $pickG)) (local.get $kG))) (i32x4.mul (i8x16.swizzle (local.get $v) (local.get $pickB)) (local.get $kB))) (local.get $half)) (i32.const 16))) (local.set $d (i8x16.swizzle (local.get $l) (local.get $spread))) (local.set $df (f32x4.convert_i32x4_s #bytes0((local.get $d)))) (local.set $t0 #blendf((local.get $df), (f32x4.convert_i32x4_s #bytes0((local.get $v))))) (local.set $df (f32x4.convert_i32x4_s #bytes4((local.get $d)))) (local.set $t1 #blendf((local.get $df), (f32x4.convert_i32x4_s #bytes4((local.get $v))))) (local.set $t0 (i16x8.narrow_i32x4_u (local.get $t0) (local.get $t1))) (local.set $df (f32x4.convert_i32x4_s #bytes8((local.get $d)))) (local.set $t1 #blendf((local.get $df), (f32x4.convert_i32x4_s #bytes8((local.get $v))))) (local.set $t0 (i8x16.narrow_i16x8_u (local.get $t0) (i16x8.narrow_i32x4_u (local.get $t1) (local.get $t1)))) (v128.store64_lane 0 q (local.get $t0)) (v128.store32_lane offset=8 2 q (local.get $t0))
  ;; ImageEnhance.Color in place on the $n bytes (whole pixels) at $p: each value blended with its pixel's
  ;; luma (19595 R + 38470 G + 7471 B + 32768) >> 16, 4-pixel groups (12 bytes). Reads up to 15 bytes and
  ;; writes up to 9 bytes past $n (the caller leaves 16 bytes of room). The blend is #blendf (sharpness above).
  (func (export "colorBlend") (param $p i32) (param $n i32) (param $alpha f32)
    (local $end i32) (local $v v128) (local $l v128) (local $d v128) (local $va v128) (local $zero v128)
    (local $v255 v128) (local $magic v128) (local $lowByte v128) (local $df v128)
    (local $t0 v128) (local $t1 v128)
    (local $pickR v128) (local $pickG v128) (local $pickB v128) (local $spread v128)
    (local $kR v128) (local $kG v128) (local $kB v128) (local $half v128)
    (local.set $va (f32x4.splat (local.get $alpha)))
    (local.set $v255 (f32x4.splat (f32.const 255)))
    (local.set $magic (f32x4.splat (f32.const 0x1p23)))
    (local.set $lowByte (i32x4.splat (i32.const 255)))
    ;; swizzle masks: the R, G, B of the 4 pixels as i32 lanes (index -1: a zero byte), and each pixel's luma
    ;; (lane byte 0, 4, 8, 12) at its 3 values' places
    (local.set $pickR (v128.const i8x16 0 -1 -1 -1 3 -1 -1 -1 6 -1 -1 -1 9 -1 -1 -1))
    (local.set $pickG (v128.const i8x16 1 -1 -1 -1 4 -1 -1 -1 7 -1 -1 -1 10 -1 -1 -1))
    (local.set $pickB (v128.const i8x16 2 -1 -1 -1 5 -1 -1 -1 8 -1 -1 -1 11 -1 -1 -1))
    (local.set $spread (v128.const i8x16 0 0 0 4 4 4 8 8 8 12 12 12 -1 -1 -1 -1))
    (local.set $kR (i32x4.splat (i32.const 19595)))
    (local.set $kG (i32x4.splat (i32.const 38470)))
    (local.set $kB (i32x4.splat (i32.const 7471)))
    (local.set $half (i32x4.splat (i32.const 32768)))
    (local.set $end (i32.add (local.get $p) (local.get $n)))
    ;; two groups a step while two remain (V8 then builds each constant once for both), then the last one
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.ge_u (i32.add (local.get $p) (i32.const 12)) (local.get $end)))
        #colorGroup((local.get $p))
        #colorGroup((i32.add (local.get $p) (i32.const 12)))
        (local.set $p (i32.add (local.get $p) (i32.const 24)))
        (br $pairs)))
    (if (i32.lt_u (local.get $p) (local.get $end)) (then #colorGroup((local.get $p)))))
  ;; Adds the luma histogram of the pixels at $p ($n bytes, whole pixels) to 4 sets of 256 u32 counts at $hist
  ;; (1024 bytes each): pixel j of every 4-pixel group counts in set j; the pixels after the last whole group
  ;; count in set 0. The caller sums the sets.
;;#define lumaBump(q, r, g, b, at) (local.set $h (i32.add (local.get $hist) (i32.shl (i32.shr_u (i32.add (i32.add (i32.add (i32.mul (i32.load8_u offset=r q) (i32.const 19595)) (i32.mul (i32.load8_u offset=g q) (i32.const 38470))) (i32.mul (i32.load8_u offset=b q) (i32.const 7471))) (i32.const 32768)) (i32.const 16)) (i32.const 2)))) (i32.store offset=at (local.get $h) (i32.add (i32.load offset=at (local.get $h)) (i32.const 1)))
  (func (export "lumaHistograms") (param $p i32) (param $n i32) (param $hist i32)
    (local $end i32) (local $groupsEnd i32) (local $h i32)
    (local.set $end (i32.add (local.get $p) (local.get $n)))
    (local.set $groupsEnd
      (i32.add (local.get $p) (i32.mul (i32.div_u (local.get $n) (i32.const 12)) (i32.const 12))))
    (block $groupsDone
      (loop $groups
        (br_if $groupsDone (i32.ge_u (local.get $p) (local.get $groupsEnd)))
        #lumaBump((local.get $p), 0, 1, 2, 0)
        #lumaBump((local.get $p), 3, 4, 5, 1024)
        #lumaBump((local.get $p), 6, 7, 8, 2048)
        #lumaBump((local.get $p), 9, 10, 11, 3072)
        (local.set $p (i32.add (local.get $p) (i32.const 12)))
        (br $groups)))
    (block $done
      (loop $pixels
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        #lumaBump((local.get $p), 0, 1, 2, 0)
        (local.set $p (i32.add (local.get $p) (i32.const 3)))
        (br $pixels))))
  ;; ---- end of color and contrast ----

  ;; k * (x + 0.5) for x in 0..n-1, as f64 at $dst
  (func (export "columnTerms") (param $dst i32) (param $k f64) (param $n i32)
    (local $x i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $x) (local.get $n)))
        (f64.store
          (i32.add (local.get $dst) (i32.shl (local.get $x) (i32.const 3)))
          (f64.mul (local.get $k) (f64.add (f64.convert_i32_s (local.get $x)) (f64.const 0.5))))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $next))))

  ;; ---- Bilinear geometry (affine.ts): withinRows, withinColumns, affineRows ----
  ;; Each writes every pixel of its output (black ones as 0) and evaluates, per value, exactly the float64
  ;; expressions of its TypeScript twin in affine.ts, in the same order, or (withinRows' runs and stretches,
  ;; #gLerp4q and #gStretch16 in integers; affineRows' runs, #fRun4 in float32) an expression proven to give the
  ;; same byte, with the float64 one wherever that proof does not apply.
  ;; Shared conventions:
  ;; - A byte value b is turned into f64 by a signed i32 -> f64 conversion (b < 2^31: the same as unsigned).
  ;; - A result r in [0, 256) is truncated as floor(r) + 2^52: that sum is exact and its low mantissa byte is
  ;;   trunc(r) (r >= 0, so trunc = floor), picked out with a 32-bit lane shuffle and two narrows.
  ;; - Runs: 4 pixels whose source bytes are contiguous (withinRows: the 4 pixels read source pixels i0..i0+3
  ;;   and i0+1..i0+4 of their row; withinColumns: they all read source rows j0 and j0 + 1; affineRows, for
  ;;   near-identity maps only: both) are interpolated 12 values at a time, arranged so that no lane is wasted,
  ;;   each value with its own pixel's fraction; when only the first 2 qualify, those 2 go as a pair. A run is
  ;;   taken only when the floors themselves show it (floor(u - 0.5) = i0 + k, and so on) with every neighbour
  ;;   inside the image, so no clamping is needed and every pixel is in bounds (0 <= u - 0.5 gives u >= 0.5,
  ;;   u - 0.5 < W - 1 gives u < W); else the pixels go one by one (affineRows: first as a pair in lanes).
  ;; - Source images are followed by 16 bytes of padding (a run loads up to 16 bytes from a source pixel) and
  ;;   outputs by 16 (a run may store up to 4 bytes past its pixels: they belong to pixels written later).
  ;;
;; the 4 bytes at p as i32x4 (the same with a memarg offset: gByte4o)
;;#define gByte4(p) (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u (v128.load32_zero p)))
;;#define gByte4o(p, off) (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u (v128.load32_zero off p)))
;; lanes 0-1 / 2-3 of an i32x4 (values below 2^31) as f64x2
;;#define gLo(v) (f64x2.convert_low_i32x4_s v)
;;#define gHi(v) (f64x2.convert_low_i32x4_s (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 v v))
;; lane 0 / lane 1 of an f64x2 in both lanes
;;#define gDup0(v) (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 v v)
;;#define gDup1(v) (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 v v)
;; floor(r) + 2^52 on both lanes (r in [0, 256)): each lane's low byte is trunc(r)
;;#define gMagic(r) (f64x2.add (f64x2.floor r) (v128.const f64x2 0x1p52 0x1p52))
;; the low 32 bits of the 4 f64 lanes of a and b (for #gMagic results: the 4 truncated values as i32x4)
;;#define gLow32(a, b) (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 a b)
;; the truncated lanes of a (values 0-1) and b (values 2-3) as the 4 bytes of an i32, value 0 lowest
;;#define gPack(a, b) (i32x4.extract_lane 0 (i8x16.narrow_i16x8_u (i16x8.narrow_i32x4_u #gLow32(#gMagic(a), #gMagic(b)) (v128.const i64x2 0 0)) (v128.const i64x2 0 0)))
;; two values: floor(x0 + (x1 - x0) * f) + 2^52 (scratch: $x0)
;;#define gPair(x0, x1, f) (local.set $x0 x0) #gMagic((f64x2.add (local.get $x0) (f64x2.mul (f64x2.sub x1 (local.get $x0)) f)))
;; one pixel: trunc(s0 + (s1 - s0) * f) on the 4 bytes at p0 and p1, packed (scratch: $s0 $s1 $fv $ra $rb)
;;#define gLerp1(p0, p1, f) (local.set $fv (f64x2.splat f)) (local.set $s0 #gByte4(p0)) (local.set $s1 #gByte4(p1)) (local.set $ra #gLo((local.get $s0))) (local.set $ra (f64x2.add (local.get $ra) (f64x2.mul (f64x2.sub #gLo((local.get $s1)) (local.get $ra)) (local.get $fv)))) (local.set $rb #gHi((local.get $s0))) (local.set $rb (f64x2.add (local.get $rb) (f64x2.mul (f64x2.sub #gHi((local.get $s1)) (local.get $rb)) (local.get $fv)))) #gPack((local.get $ra), (local.get $rb))
;; 4 pixels (12 values): trunc(s0 + (s1 - s0) * f) with s0 the 12 bytes at p0, s1 the 12 bytes at p1, f of
;; pixels 0-1 in the f64x2 fa and of pixels 2-3 in fb; the 12 result bytes in lanes 0-11 (scratch: $s0 $s1
;; $x0 $a0 $a1 $a2 $b0 $b1 $b2 $ra $rb $rc)
;;#define gLerp4(p0, p1, fa, fb) (local.set $s0 (v128.load p0)) (local.set $s1 (v128.load p1)) (local.set $a0 (i16x8.extend_low_i8x16_u (local.get $s0))) (local.set $a2 (i32x4.extend_low_i16x8_u (i16x8.extend_high_i8x16_u (local.get $s0)))) (local.set $a1 (i32x4.extend_high_i16x8_u (local.get $a0))) (local.set $a0 (i32x4.extend_low_i16x8_u (local.get $a0))) (local.set $b0 (i16x8.extend_low_i8x16_u (local.get $s1))) (local.set $b2 (i32x4.extend_low_i16x8_u (i16x8.extend_high_i8x16_u (local.get $s1)))) (local.set $b1 (i32x4.extend_high_i16x8_u (local.get $b0))) (local.set $b0 (i32x4.extend_low_i16x8_u (local.get $b0))) (local.set $ra #gLow32(#gPair(#gLo((local.get $a0)), #gLo((local.get $b0)), #gDup0(fa)), #gPair(#gHi((local.get $a0)), #gHi((local.get $b0)), fa))) (local.set $rb #gLow32(#gPair(#gLo((local.get $a1)), #gLo((local.get $b1)), #gDup1(fa)), #gPair(#gHi((local.get $a1)), #gHi((local.get $b1)), #gDup0(fb)))) (local.set $rc #gLow32(#gPair(#gLo((local.get $a2)), #gLo((local.get $b2)), fb), #gPair(#gHi((local.get $a2)), #gHi((local.get $b2)), #gDup1(fb)))) (i8x16.narrow_i16x8_u (i16x8.narrow_i32x4_u (local.get $ra) (local.get $rb)) (i16x8.narrow_i32x4_u (local.get $rc) (local.get $rc)))
;; the same 12 values in integers, exact when it says so (withinRows): with F = floor(f * 2^15) the
;; pixel's fraction f lies in [F, F + 1) / 2^15, so with d = s1 - s0 and A = d * F the product d * f lies between
;; A / 2^15 and (A + d) / 2^15 (the upper end excluded for d > 0, the lower for d < 0). When both ends have the
;; same floor k (d = 0 included), d * f lies in [k, k + 1 - 2^-15], its float64 rounding in [k, k + 1), and
;; float64 s0 + that in [s0 + k, s0 + k + 1): the value is s0 + k. A lane where the floors differ (about |d| in
;; 2^15) sets a bit of $hz, and the caller recomputes the run with #gLerp4. F is read as the low 16 bits of
;; floor(f * 2^15) + 2^52, spread to the values' i16 lanes (pixels 0,0,0,1,1,1,2,2 and 2,3,3,3); d * F fits an
;; i32 (|d| <= 255, F < 2^15). Scratch: $s0 $s1 $a0 $a1 $b0 $b1 $ra $rb $rc $x0 $fv.
;;#define gQ15(f) (f64x2.add (f64x2.floor (f64x2.mul f (v128.const f64x2 0x1p15 0x1p15))) (v128.const f64x2 0x1p52 0x1p52))
;;#define gHalf15(v, d) (local.set $x0 (local.get v)) (local.set $hz (v128.or (local.get $hz) (v128.xor (i32x4.shr_s (local.get $x0) (i32.const 15)) (i32x4.shr_s (i32x4.add (local.get $x0) d) (i32.const 15))))) (local.set v (i32x4.shr_s (local.get $x0) (i32.const 15)))
;;#define gLerp4q(p0, p1, fa, fb) (local.set $x0 #gQ15(fa)) (local.set $fv #gQ15(fb)) (local.set $b1 (i8x16.shuffle 16 17 24 25 24 25 24 25 24 25 24 25 24 25 24 25 (local.get $x0) (local.get $fv))) (local.set $fv (i8x16.shuffle 0 1 0 1 0 1 8 9 8 9 8 9 16 17 16 17 (local.get $x0) (local.get $fv))) (local.set $s0 (v128.load p0)) (local.set $s1 (v128.load p1)) (local.set $a0 (i16x8.extend_low_i8x16_u (local.get $s0))) (local.set $a1 (i16x8.extend_high_i8x16_u (local.get $s0))) (local.set $b0 (i16x8.sub (i16x8.extend_low_i8x16_u (local.get $s1)) (local.get $a0))) (local.set $s1 (i16x8.sub (i16x8.extend_high_i8x16_u (local.get $s1)) (local.get $a1))) (local.set $ra (i32x4.extmul_low_i16x8_s (local.get $b0) (local.get $fv))) (local.set $rb (i32x4.extmul_high_i16x8_s (local.get $b0) (local.get $fv))) (local.set $rc (i32x4.extmul_low_i16x8_s (local.get $s1) (local.get $b1))) (local.set $hz (v128.const i64x2 0 0)) #gHalf15($ra, (i32x4.extend_low_i16x8_s (local.get $b0))) #gHalf15($rb, (i32x4.extend_high_i16x8_s (local.get $b0))) #gHalf15($rc, (i32x4.extend_low_i16x8_s (local.get $s1))) (i8x16.narrow_i16x8_u (i16x8.add (local.get $a0) (i16x8.narrow_i32x4_s (local.get $ra) (local.get $rb))) (i16x8.add (local.get $a1) (i16x8.narrow_i32x4_s (local.get $rc) (local.get $rc))))
;; withinRows' 16-pixel stretches (a = 1): 16 values of a stretch that shares one fraction, from the 16 bytes at p
;; and the 16 at p + 3, in integers as #gLerp4q with F (i16x8.splat) in $Fv; $hz as there. Scratch: $s0 $s1 $a0
;; $a1 $b0 $b1 $ra $rb $rc $res $x0.
;;#define gStretch16(p) (local.set $s0 (v128.load p)) (local.set $s1 (v128.load offset=3 p)) (local.set $a0 (i16x8.extend_low_i8x16_u (local.get $s0))) (local.set $a1 (i16x8.extend_high_i8x16_u (local.get $s0))) (local.set $b0 (i16x8.sub (i16x8.extend_low_i8x16_u (local.get $s1)) (local.get $a0))) (local.set $b1 (i16x8.sub (i16x8.extend_high_i8x16_u (local.get $s1)) (local.get $a1))) (local.set $ra (i32x4.extmul_low_i16x8_s (local.get $b0) (local.get $Fv))) (local.set $rb (i32x4.extmul_high_i16x8_s (local.get $b0) (local.get $Fv))) (local.set $rc (i32x4.extmul_low_i16x8_s (local.get $b1) (local.get $Fv))) (local.set $res (i32x4.extmul_high_i16x8_s (local.get $b1) (local.get $Fv))) #gHalf15($ra, (i32x4.extend_low_i16x8_s (local.get $b0))) #gHalf15($rb, (i32x4.extend_high_i16x8_s (local.get $b0))) #gHalf15($rc, (i32x4.extend_low_i16x8_s (local.get $b1))) #gHalf15($res, (i32x4.extend_high_i16x8_s (local.get $b1))) (i8x16.narrow_i16x8_u (i16x8.add (local.get $a0) (i16x8.narrow_i32x4_s (local.get $ra) (local.get $rb))) (i16x8.add (local.get $a1) (i16x8.narrow_i32x4_s (local.get $rc) (local.get $res))))
;; 2 pixels (6 values) likewise from the 6 bytes at p0 and at p1 (their fractions in fa): the 6 result bytes in
;; lanes 0-5 (scratch: $s0 $s1 $x0 $a0 $a1 $b0 $b1 $ra)
;;#define gLerp2(p0, p1, fa) (local.set $s0 (i16x8.extend_low_i8x16_u (v128.load64_zero p0))) (local.set $s1 (i16x8.extend_low_i8x16_u (v128.load64_zero p1))) (local.set $a0 (i32x4.extend_low_i16x8_u (local.get $s0))) (local.set $a1 (i32x4.extend_high_i16x8_u (local.get $s0))) (local.set $b0 (i32x4.extend_low_i16x8_u (local.get $s1))) (local.set $b1 (i32x4.extend_high_i16x8_u (local.get $s1))) (local.set $ra (i16x8.narrow_i32x4_u #gLow32(#gPair(#gLo((local.get $a0)), #gLo((local.get $b0)), #gDup0(fa)), #gPair(#gHi((local.get $a0)), #gHi((local.get $b0)), fa)) (local.tee $ra (local.set $x0 #gPair(#gLo((local.get $a1)), #gLo((local.get $b1)), #gDup1(fa))) #gLow32((local.get $x0), (local.get $x0))))) (i8x16.narrow_i16x8_u (local.get $ra) (local.get $ra))
;; bilinear on f64x2 lanes: top = a00 + (a01 - a00) * fx, bottom = a10 + (a11 - a10) * fx,
;; top + (bottom - top) * fy (scratch: $s00 $s10 $top $bottom)
;;#define gBilinear(a00, a01, a10, a11, fx, fy) (local.set $s00 a00) (local.set $top (f64x2.add (local.get $s00) (f64x2.mul (f64x2.sub a01 (local.get $s00)) fx))) (local.set $s10 a10) (local.set $bottom (f64x2.add (local.get $s10) (f64x2.mul (f64x2.sub a11 (local.get $s10)) fx))) (f64x2.add (local.get $top) (f64x2.mul (f64x2.sub (local.get $bottom) (local.get $top)) fy))
;; values 4k..4k+3 of affineRows' 4-pixel run whose top-left neighbours start at $i (the next row's at $j): o0
;; is offset=4k, o1 offset=4k+3; fractions fa, fya for values 0-1 and fb, fyb for values 2-3 of the 4; the 4
;; truncated results as i32x4 (scratch: $w00a $w01a $w10a $w11a, and those of #gBilinear)
;;#define gChunk(o0, o1, fa, fya, fb, fyb) (local.set $w00a #gByte4o((local.get $i), o0)) (local.set $w01a #gByte4o((local.get $i), o1)) (local.set $w10a #gByte4o((local.get $j), o0)) (local.set $w11a #gByte4o((local.get $j), o1)) #gLow32(#gMagic(#gBilinear(#gLo((local.get $w00a)), #gLo((local.get $w01a)), #gLo((local.get $w10a)), #gLo((local.get $w11a)), fa, fya)), #gMagic(#gBilinear(#gHi((local.get $w00a)), #gHi((local.get $w01a)), #gHi((local.get $w10a)), #gHi((local.get $w11a)), fb, fyb)))
;; affineRows' 4-pixel run in float32 (values 0-11; fractions fx1, fy1 of pixels 0-1 and fx2, fy2 of 2-3 as f64x2;
;; top-left neighbours from $i, the next row's from $j): the 12 truncated bytes in lanes 0-11, and in $near a lane
;; set for each value whose float32 result lies within eps = 2^-11 of an integer and whose 4 neighbours are not all
;; equal; the caller recomputes the run in float64 (#gChunk) when any is set. Bound: with fractions rounded to
;; float32 (error <= 2^-25) and every operation rounded once (error <= 256 * 2^-24 = 2^-16 each, all values lying
;; in [-256, 256]), top and bottom are within 2.5 * 2^-16 of the exact real ones, bottom - top within 6 * 2^-16,
;; its product with fy within 7.5 * 2^-16 and the value within 11 * 2^-16 < 2^-12; the float64 value is within
;; 2^-41 of the exact one. So a float32 value whose fraction is at least eps from 0 and from 1 has the float64
;; value's floor. Where the 4 neighbours are equal, both evaluate to that byte exactly (0 * f = 0).
;; Scratch: $s00 $s01 $s10 $s11 $fx $fy $fx0 $fy0 $top $bottom $ra $r0v $r1v $r2v $n00 $n01 $n10.
;; u8 lanes 0-7 / 8-15 of v as i16x8, then lanes 0-3 / 4-7 of those as f32x4
;;#define fLo16(v) (i16x8.extend_low_i8x16_u v)
;;#define fHi16(v) (i16x8.extend_high_i8x16_u v)
;;#define fLo32(v) (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u v))
;;#define fHi32(v) (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u v))
;; one chunk: values from the f32x4 neighbours a00 a01 a10 a11 with per-value fractions fx fy; the byte in
;; each i32 lane, $near updated (scratch $top $bottom $ra)
;;#define fChunk(a00, a01, a10, a11, fx, fy, near) (local.set $top a00) (local.set $top (f32x4.add (local.get $top) (f32x4.mul (f32x4.sub a01 (local.get $top)) fx))) (local.set $bottom a10) (local.set $bottom (f32x4.add (local.get $bottom) (f32x4.mul (f32x4.sub a11 (local.get $bottom)) fx))) (local.set $ra (f32x4.add (local.get $top) (f32x4.mul (f32x4.sub (local.get $bottom) (local.get $top)) fy))) (local.set $top (f32x4.floor (local.get $ra))) (local.set $ra (f32x4.sub (local.get $ra) (local.get $top))) (local.set near (v128.or (f32x4.lt (local.get $ra) (v128.const f32x4 0x1p-11 0x1p-11 0x1p-11 0x1p-11)) (f32x4.gt (local.get $ra) (v128.const f32x4 0x1.ffep-1 0x1.ffep-1 0x1.ffep-1 0x1.ffep-1)))) #fByte((local.get $top))
;; the 4 pixels' neighbours when they share the row pair at $i (top-left) and $j (a row below)
;;#define fLoad4() (local.set $s00 (v128.load (local.get $i))) (local.set $s01 (v128.load offset=3 (local.get $i))) (local.set $s10 (v128.load (local.get $j))) (local.set $s11 (v128.load offset=3 (local.get $j)))
;; with the neighbours already in $s00 $s01 $s10 $s11 (values 0-15 of each)
;;#define fRun4(fx1, fy1, fx2, fy2) (local.set $fx (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (f32x4.demote_f64x2_zero fx1) (f32x4.demote_f64x2_zero fx2))) (local.set $fy (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (f32x4.demote_f64x2_zero fy1) (f32x4.demote_f64x2_zero fy2))) (local.set $near (v128.and (v128.and (i8x16.eq (local.get $s00) (local.get $s01)) (i8x16.eq (local.get $s10) (local.get $s11))) (i8x16.eq (local.get $s00) (local.get $s10)))) (local.set $fx0 (i8x16.shuffle 0 1 2 3 0 1 2 3 0 1 2 3 4 5 6 7 (local.get $fx) (local.get $fx))) (local.set $fy0 (i8x16.shuffle 0 1 2 3 0 1 2 3 0 1 2 3 4 5 6 7 (local.get $fy) (local.get $fy))) (local.set $r0v #fChunk(#fLo32(#fLo16((local.get $s00))), #fLo32(#fLo16((local.get $s01))), #fLo32(#fLo16((local.get $s10))), #fLo32(#fLo16((local.get $s11))), (local.get $fx0), (local.get $fy0), $n00)) (local.set $fx0 (i8x16.shuffle 4 5 6 7 4 5 6 7 8 9 10 11 8 9 10 11 (local.get $fx) (local.get $fx))) (local.set $fy0 (i8x16.shuffle 4 5 6 7 4 5 6 7 8 9 10 11 8 9 10 11 (local.get $fy) (local.get $fy))) (local.set $r1v #fChunk(#fHi32(#fLo16((local.get $s00))), #fHi32(#fLo16((local.get $s01))), #fHi32(#fLo16((local.get $s10))), #fHi32(#fLo16((local.get $s11))), (local.get $fx0), (local.get $fy0), $n01)) (local.set $fx0 (i8x16.shuffle 8 9 10 11 12 13 14 15 12 13 14 15 12 13 14 15 (local.get $fx) (local.get $fx))) (local.set $fy0 (i8x16.shuffle 8 9 10 11 12 13 14 15 12 13 14 15 12 13 14 15 (local.get $fy) (local.get $fy))) (local.set $r2v #fChunk(#fLo32(#fHi16((local.get $s00))), #fLo32(#fHi16((local.get $s01))), #fLo32(#fHi16((local.get $s10))), #fLo32(#fHi16((local.get $s11))), (local.get $fx0), (local.get $fy0), $n10)) (local.set $near (v128.andnot (i8x16.narrow_i16x8_s (i16x8.narrow_i32x4_s (local.get $n00) (local.get $n01)) (i16x8.narrow_i32x4_s (local.get $n10) (v128.const i64x2 0 0))) (local.get $near))) (i8x16.narrow_i16x8_u (i16x8.narrow_i32x4_s (local.get $r0v) (local.get $r1v)) (i16x8.narrow_i32x4_s (local.get $r2v) (local.get $r2v)))
;; the 3 bytes at p then the 3 at q as the i16x8 lanes 0-5 (scratch: $ra)
;;#define gPair6(p, q) (i16x8.extend_low_i8x16_u (i8x16.shuffle 0 1 2 4 5 6 7 7 7 7 7 7 7 7 7 7 (local.tee $ra (v128.load32_lane 1 q (v128.load32_zero p))) (local.get $ra)))
;; i16x8 lanes 0-3 / 4-7 as i32x4
;;#define gLow4(v) (i32x4.extend_low_i16x8_u v)
;;#define gHigh4(v) (i32x4.extend_high_i16x8_u v)

  ;; v = Y (affine.ts sampleWithinRows / interpolateWithinRow): u = (aX[x] + bY) + c; outside [0, W) the pixel
  ;; is black; else trunc(s0 + (s1 - s0) * fx) from its own source row, clamped at the two ends.
  (func (export "withinRows")
    (param $src i32) (param $out i32) (param $aX i32) (param $width i32) (param $height i32)
    (param $kb f64) (param $c f64) (param $stretches i32)
    (local $y i32) (local $x i32) (local $row i32) (local $o i32) (local $bY f64) (local $u f64)
    (local $us f64) (local $i i32) (local $p0 i32) (local $p1 i32) (local $wf f64) (local $maxX i32)
    (local $stride i32) (local $px i32) (local $fl0 f64) (local $runEnd f64)
    (local $vbY v128) (local $vc v128) (local $usA v128) (local $usB v128) (local $flA v128) (local $flB v128)
    (local $s0 v128) (local $s1 v128) (local $fv v128) (local $x0 v128) (local $ra v128) (local $rb v128)
    (local $rc v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $b0 v128) (local $b1 v128)
    (local $b2 v128) (local $hz v128) (local $res v128)
    (local $ua f64) (local $ub f64) (local $fa f64) (local $fb f64) (local $maxXf f64) (local $Fv v128)
    (local $k0 v128) (local $k1 v128)
    (local.set $maxXf (f64.convert_i32_s (i32.sub (local.get $width) (i32.const 1))))
    (local.set $wf (f64.convert_i32_s (local.get $width)))
    (local.set $maxX (i32.sub (local.get $width) (i32.const 1)))
    ;; a run needs its last pixel's right neighbour inside the row: i0 + 3 < W - 1
    (local.set $runEnd (f64.convert_i32_s (i32.sub (local.get $width) (i32.const 4))))
    (local.set $stride (i32.mul (local.get $width) (i32.const 3)))
    (local.set $vc (f64x2.splat (local.get $c)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_s (local.get $y) (local.get $height)))
        (local.set $row (i32.mul (local.get $y) (local.get $stride)))
        (local.set $bY (f64.mul (local.get $kb) (f64.add (f64.convert_i32_s (local.get $y)) (f64.const 0.5))))
        (local.set $vbY (f64x2.splat (local.get $bY)))
        (local.set $x (i32.const 0))
        (local.set $o (i32.add (local.get $out) (local.get $row)))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_s (local.get $x) (local.get $width)))
            ;; a = 1 and bY or c zero (the caller's $stretches): u = x + 0.5 + K rounded once (K = bY or c), so
            ;; wherever x + 0.5 + K keeps its binade, us - x is one value, K rounded to that binade's grid (x + 0.5
            ;; lies on the grid, and so does every tie's even candidate). Pixels x..x+15 whose first and last us
            ;; have the same fraction and floors 15 apart therefore share it: the binade only grows along the
            ;; stretch, and K rounded to a coarser grid can equal K rounded to a finer one only if every grid in
            ;; between rounds it to the same value. With the floors in [0, W - 1) every pixel is inside the image,
            ;; unclamped: 48 values from contiguous bytes with one fraction, in integers (#gStretch16), or the
            ;; 4-pixel path below when any value's bound is inconclusive.
            (if (i32.and (local.get $stretches) (i32.le_s (i32.add (local.get $x) (i32.const 16)) (local.get $width)))
              (then
                (local.set $p0 (i32.add (local.get $aX) (i32.shl (local.get $x) (i32.const 3))))
                (local.set $ua (f64.sub (f64.add (f64.add (f64.load (local.get $p0)) (local.get $bY)) (local.get $c)) (f64.const 0.5)))
                (local.set $ub (f64.sub (f64.add (f64.add (f64.load offset=120 (local.get $p0)) (local.get $bY)) (local.get $c)) (f64.const 0.5)))
                (local.set $fa (f64.floor (local.get $ua)))
                (local.set $fb (f64.floor (local.get $ub)))
                (if (i32.and
                      (i32.and
                        (f64.eq (f64.sub (local.get $ua) (local.get $fa)) (f64.sub (local.get $ub) (local.get $fb)))
                        (f64.eq (f64.sub (local.get $fb) (local.get $fa)) (f64.const 15)))
                      (i32.and (f64.ge (local.get $fa) (f64.const 0)) (f64.lt (local.get $fb) (local.get $maxXf))))
                  (then
                    (local.set $p0 (i32.add (i32.add (local.get $src) (local.get $row))
                      (i32.mul (i32.trunc_f64_s (local.get $fa)) (i32.const 3))))
                    ;; a fraction of exactly 0 (rotate by 0 degrees, a whole shift): s0 + (s1 - s0) * 0 is s0
                    (if (f64.eq (local.get $ua) (local.get $fa))
                      (then
                        (v128.store (local.get $o) (v128.load (local.get $p0)))
                        (v128.store offset=16 (local.get $o) (v128.load offset=16 (local.get $p0)))
                        (v128.store offset=32 (local.get $o) (v128.load offset=32 (local.get $p0)))
                        (local.set $o (i32.add (local.get $o) (i32.const 48)))
                        (local.set $x (i32.add (local.get $x) (i32.const 16)))
                        (br $cols)))
                    (local.set $Fv (i16x8.splat (i32.trunc_f64_s
                      (f64.floor (f64.mul (f64.sub (local.get $ua) (local.get $fa)) (f64.const 0x1p15))))))
                    (local.set $hz (v128.const i64x2 0 0))
                    (local.set $k0 #gStretch16((local.get $p0)))
                    (local.set $k1 #gStretch16((i32.add (local.get $p0) (i32.const 16))))
                    (local.set $b2 #gStretch16((i32.add (local.get $p0) (i32.const 32))))
                    (if (i32.eqz (v128.any_true (local.get $hz)))
                      (then
                        (v128.store (local.get $o) (local.get $k0))
                        (v128.store offset=16 (local.get $o) (local.get $k1))
                        (v128.store offset=32 (local.get $o) (local.get $b2))
                        (local.set $o (i32.add (local.get $o) (i32.const 48)))
                        (local.set $x (i32.add (local.get $x) (i32.const 16)))
                        (br $cols)))))))
            (if (i32.le_s (i32.add (local.get $x) (i32.const 4)) (local.get $width))
              (then
                ;; us = ((aX[x] + bY) + c) - 0.5 for pixels x..x+3
                (local.set $p0 (i32.add (local.get $aX) (i32.shl (local.get $x) (i32.const 3))))
                (local.set $usA (f64x2.sub (f64x2.add (f64x2.add (v128.load (local.get $p0)) (local.get $vbY)) (local.get $vc))
                  (v128.const f64x2 0.5 0.5)))
                (local.set $usB (f64x2.sub (f64x2.add (f64x2.add (v128.load offset=16 (local.get $p0)) (local.get $vbY)) (local.get $vc))
                  (v128.const f64x2 0.5 0.5)))
                (local.set $flA (f64x2.floor (local.get $usA)))
                (local.set $flB (f64x2.floor (local.get $usB)))
                (local.set $fl0 (f64x2.extract_lane 0 (local.get $flA)))
                ;; floors i0, i0+1, i0+2, i0+3 with 0 <= i0 and i0 + 3 < W - 1: every pixel in bounds, no clamping
                (if (i32.and
                      (i32.and
                        (i64x2.all_true (f64x2.eq (local.get $flA)
                          (f64x2.add (f64x2.splat (local.get $fl0)) (v128.const f64x2 0 1))))
                        (i64x2.all_true (f64x2.eq (local.get $flB)
                          (f64x2.add (f64x2.splat (local.get $fl0)) (v128.const f64x2 2 3)))))
                      (i32.and (f64.ge (local.get $fl0) (f64.const 0)) (f64.lt (local.get $fl0) (local.get $runEnd))))
                  (then
                    (local.set $p0 (i32.add (i32.add (local.get $src) (local.get $row))
                      (i32.mul (i32.trunc_f64_s (local.get $fl0)) (i32.const 3))))
                    (local.set $usA (f64x2.sub (local.get $usA) (local.get $flA)))
                    (local.set $usB (f64x2.sub (local.get $usB) (local.get $flB)))
                    (local.set $res #gLerp4q((local.get $p0), (i32.add (local.get $p0) (i32.const 3)), (local.get $usA), (local.get $usB)))
                    (if (v128.any_true (local.get $hz))
                      (then (local.set $res
                        #gLerp4((local.get $p0), (i32.add (local.get $p0) (i32.const 3)), (local.get $usA), (local.get $usB)))))
                    (v128.store (local.get $o) (local.get $res))
                    (local.set $o (i32.add (local.get $o) (i32.const 12)))
                    (local.set $x (i32.add (local.get $x) (i32.const 4)))
                    (br $cols)))))
            (local.set $u
              (f64.add
                (f64.add (f64.load (i32.add (local.get $aX) (i32.shl (local.get $x) (i32.const 3)))) (local.get $bY))
                (local.get $c)))
            (if (i32.and (f64.ge (local.get $u) (f64.const 0)) (f64.lt (local.get $u) (local.get $wf)))
              (then
                (local.set $us (f64.sub (local.get $u) (f64.const 0.5)))
                (local.set $i (i32.trunc_f64_s (f64.floor (local.get $us))))
                (local.set $p0 (i32.add (local.get $row) (i32.mul (local.get $i) (i32.const 3))))
                (local.set $p1 (i32.add (local.get $p0) (i32.const 3)))
                (if (i32.lt_s (local.get $i) (i32.const 0))
                  (then (local.set $p0 (local.get $row)))
                  (else (if (i32.ge_s (local.get $i) (local.get $maxX)) (then (local.set $p1 (local.get $p0))))))
                #store3($o, #gLerp1((i32.add (local.get $src) (local.get $p0)), (i32.add (local.get $src) (local.get $p1)), (f64.sub (local.get $us) (f64.convert_i32_s (local.get $i))))))
              (else #store3($o, (i32.const 0))))
            (local.set $o (i32.add (local.get $o) (i32.const 3)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $cols)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows))))

  ;; u = X (affine.ts sampleWithinColumns / interpolateWithinColumns): v = (dX[x] + eY) + f; outside [0, H) the
  ;; pixel is black; else trunc(s0 + (s1 - s0) * fy) from its own source column, clamped at the two ends.
  (func (export "withinColumns")
    (param $src i32) (param $out i32) (param $dX i32) (param $width i32) (param $height i32)
    (param $e f64) (param $f f64)
    (local $y i32) (local $x i32) (local $o i32) (local $eY f64) (local $v f64) (local $vs f64)
    (local $j i32) (local $col i32) (local $p0 i32) (local $p1 i32) (local $h f64) (local $maxY i32)
    (local $stride i32) (local $px i32) (local $fl0 f64) (local $maxYf f64)
    (local $veY v128) (local $vf v128) (local $vsA v128) (local $vsB v128) (local $flA v128) (local $flB v128)
    (local $s0 v128) (local $s1 v128) (local $fv v128) (local $x0 v128) (local $ra v128) (local $rb v128)
    (local $rc v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $b0 v128) (local $b1 v128)
    (local $b2 v128)
    (local.set $h (f64.convert_i32_s (local.get $height)))
    (local.set $maxY (i32.sub (local.get $height) (i32.const 1)))
    (local.set $maxYf (f64.convert_i32_s (local.get $maxY)))
    (local.set $stride (i32.mul (local.get $width) (i32.const 3)))
    (local.set $vf (f64x2.splat (local.get $f)))
    (local.set $o (local.get $out))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_s (local.get $y) (local.get $height)))
        (local.set $eY (f64.mul (local.get $e) (f64.add (f64.convert_i32_s (local.get $y)) (f64.const 0.5))))
        (local.set $veY (f64x2.splat (local.get $eY)))
        (local.set $x (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_s (local.get $x) (local.get $width)))
            (if (i32.le_s (i32.add (local.get $x) (i32.const 4)) (local.get $width))
              (then
                ;; vs = ((dX[x] + eY) + f) - 0.5 for pixels x..x+3
                (local.set $p0 (i32.add (local.get $dX) (i32.shl (local.get $x) (i32.const 3))))
                (local.set $vsA (f64x2.sub (f64x2.add (f64x2.add (v128.load (local.get $p0)) (local.get $veY)) (local.get $vf))
                  (v128.const f64x2 0.5 0.5)))
                (local.set $vsB (f64x2.sub (f64x2.add (f64x2.add (v128.load offset=16 (local.get $p0)) (local.get $veY)) (local.get $vf))
                  (v128.const f64x2 0.5 0.5)))
                (local.set $flA (f64x2.floor (local.get $vsA)))
                (local.set $flB (f64x2.floor (local.get $vsB)))
                (local.set $fl0 (f64x2.extract_lane 0 (local.get $flA)))
                ;; one floor j0 for the 4 pixels (or for the first 2) with 0 <= j0 < H - 1: every pixel in
                ;; bounds, no clamping
                (if (i32.and
                      (i64x2.all_true (f64x2.eq (local.get $flA) (f64x2.splat (local.get $fl0))))
                      (i32.and (f64.ge (local.get $fl0) (f64.const 0)) (f64.lt (local.get $fl0) (local.get $maxYf))))
                  (then
                    (local.set $p0 (i32.add (i32.add (local.get $src) (i32.mul (local.get $x) (i32.const 3)))
                      (i32.mul (i32.trunc_f64_s (local.get $fl0)) (local.get $stride))))
                    (if (i64x2.all_true (f64x2.eq (local.get $flB) (f64x2.splat (local.get $fl0))))
                      (then
                        (v128.store (local.get $o)
                          #gLerp4((local.get $p0), (i32.add (local.get $p0) (local.get $stride)),
                            (f64x2.sub (local.get $vsA) (local.get $flA)), (f64x2.sub (local.get $vsB) (local.get $flB))))
                        (local.set $o (i32.add (local.get $o) (i32.const 12)))
                        (local.set $x (i32.add (local.get $x) (i32.const 4)))
                        (br $cols)))
                    ;; the source row changes within pixels 2-3: pixels 0-1 as a pair
                    (v128.store64_lane 0 (local.get $o)
                      #gLerp2((local.get $p0), (i32.add (local.get $p0) (local.get $stride)), (f64x2.sub (local.get $vsA) (local.get $flA))))
                    (local.set $o (i32.add (local.get $o) (i32.const 6)))
                    (local.set $x (i32.add (local.get $x) (i32.const 2)))
                    (br $cols)))))
            (local.set $v
              (f64.add
                (f64.add (f64.load (i32.add (local.get $dX) (i32.shl (local.get $x) (i32.const 3)))) (local.get $eY))
                (local.get $f)))
            (if (i32.and (f64.ge (local.get $v) (f64.const 0)) (f64.lt (local.get $v) (local.get $h)))
              (then
                (local.set $vs (f64.sub (local.get $v) (f64.const 0.5)))
                (local.set $j (i32.trunc_f64_s (f64.floor (local.get $vs))))
                (local.set $col (i32.mul (local.get $x) (i32.const 3)))
                (local.set $p0 (i32.add (i32.mul (local.get $j) (local.get $stride)) (local.get $col)))
                (local.set $p1 (i32.add (local.get $p0) (local.get $stride)))
                (if (i32.lt_s (local.get $j) (i32.const 0))
                  (then (local.set $p0 (local.get $col)))
                  (else (if (i32.ge_s (local.get $j) (local.get $maxY)) (then (local.set $p1 (local.get $p0))))))
                #store3($o, #gLerp1((i32.add (local.get $src) (local.get $p0)), (i32.add (local.get $src) (local.get $p1)), (f64.sub (local.get $vs) (f64.convert_i32_s (local.get $j))))))
              (else #store3($o, (i32.const 0))))
            (local.set $o (i32.add (local.get $o) (i32.const 3)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $cols)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows))))

  ;; The general case (affine.ts sampleBilinear: locateRow, interpolateRow and sampleClamped in one pass):
  ;; u = (aX[x] + bY) + c, v = (dX[x] + eY) + f; outside [0, W) x [0, H) the pixel is black; else, with
  ;; i = floor(u - 0.5), j = floor(v - 0.5), fx = (u - 0.5) - i, fy = (v - 0.5) - j and the neighbours' indices
  ;; clamped to the image (i >= -1, i + 1 >= 0 and i <= W - 1 here, so each clamp is one-sided; inside the image
  ;; they are identities): top = s00 + (s01 - s00) * fx, bottom = s10 + (s11 - s10) * fx,
  ;; value = trunc(top + (bottom - top) * fy).
  (func (export "affineRows")
    (param $src i32) (param $out i32) (param $aX i32) (param $dX i32) (param $width i32) (param $height i32)
    (param $b f64) (param $c f64) (param $e f64) (param $f f64) (param $runs i32)
    (local $y i32) (local $x i32) (local $o i32) (local $bY f64) (local $eY f64) (local $Y f64)
    (local $u f64) (local $v f64) (local $us f64) (local $vs f64) (local $i i32) (local $j i32)
    (local $wf f64) (local $hf f64) (local $maxX i32) (local $maxY i32) (local $stride i32) (local $px i32)
    (local $c0 i32) (local $c1 i32) (local $r0 i32) (local $r1 i32)
    (local $fx v128) (local $fy v128) (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $top v128) (local $bottom v128) (local $ra v128)
    (local $vbY v128) (local $veY v128) (local $vc v128) (local $vf v128) (local $vw v128) (local $vh v128)
    (local $U v128) (local $V v128) (local $lo v128) (local $hi v128) (local $cols v128) (local $p0 v128)
    (local $p1 v128) (local $mul v128) (local $max v128) (local $fx0 v128) (local $fx1 v128) (local $fy0 v128)
    (local $fy1 v128) (local $n00 v128) (local $n01 v128) (local $n10 v128) (local $n11 v128) (local $r0v v128)
    (local $r1v v128) (local $r2v v128) (local $U2 v128) (local $V2 v128) (local $lo2 v128) (local $hi2 v128)
    (local $fx2 v128) (local $fy2 v128) (local $fl0 f64) (local $fv0 f64) (local $runEndX f64) (local $pairEndX f64) (local $maxYf f64)
    (local $w00a v128) (local $w01a v128) (local $w10a v128) (local $w11a v128) (local $near v128) (local $res v128)
    (local $fv3 f64) (local $m1 v128) (local $m2 v128) (local $colsRun i32)
    (local.set $wf (f64.convert_i32_s (local.get $width)))
    (local.set $hf (f64.convert_i32_s (local.get $height)))
    (local.set $vw (f64x2.splat (local.get $wf)))
    (local.set $runEndX (f64.convert_i32_s (i32.sub (local.get $width) (i32.const 4))))
    (local.set $pairEndX (f64.convert_i32_s (i32.sub (local.get $width) (i32.const 2))))
    (local.set $maxYf (f64.convert_i32_s (i32.sub (local.get $height) (i32.const 1))))
    (local.set $vh (f64x2.splat (local.get $hf)))
    (local.set $vc (f64x2.splat (local.get $c)))
    (local.set $vf (f64x2.splat (local.get $f)))
    (local.set $maxX (i32.sub (local.get $width) (i32.const 1)))
    (local.set $maxY (i32.sub (local.get $height) (i32.const 1)))
    (local.set $stride (i32.mul (local.get $width) (i32.const 3)))
    ;; lanes [i, i', j, j'] of two pixels: index multipliers and upper clamps
    (local.set $mul (i32x4.replace_lane 3 (i32x4.replace_lane 2 (v128.const i32x4 3 3 0 0) (local.get $stride)) (local.get $stride)))
    (local.set $max (i32x4.replace_lane 3 (i32x4.replace_lane 2 (i32x4.splat (local.get $maxX)) (local.get $maxY)) (local.get $maxY)))
    (local.set $o (local.get $out))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_s (local.get $y) (local.get $height)))
        (local.set $Y (f64.add (f64.convert_i32_s (local.get $y)) (f64.const 0.5)))
        (local.set $bY (f64.mul (local.get $b) (local.get $Y)))
        (local.set $eY (f64.mul (local.get $e) (local.get $Y)))
        (local.set $vbY (f64x2.splat (local.get $bY)))
        (local.set $veY (f64x2.splat (local.get $eY)))
        (local.set $x (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_s (local.get $x) (local.get $width)))
            (if (i32.and (local.get $runs) (i32.le_s (i32.add (local.get $x) (i32.const 4)) (local.get $width)))
              (then
                ;; pixels x..x+3 together when they share one source row pair j, j + 1 and read the source
                ;; columns i0..i0+3 (and i0+1..i0+4), all inside the image: 0 <= j < H - 1, 0 <= i0, i0 + 3 < W - 1
                ;; (then each u, v is in bounds); the 4 neighbours of the 4 pixels are then 12 contiguous bytes
                ;; each, interpolated as in #gLerp4
                (local.set $px (i32.shl (local.get $x) (i32.const 3)))
                (local.set $U (f64x2.sub (f64x2.add (f64x2.add (v128.load (i32.add (local.get $aX) (local.get $px))) (local.get $vbY)) (local.get $vc))
                  (v128.const f64x2 0.5 0.5)))
                (local.set $U2 (f64x2.sub (f64x2.add (f64x2.add (v128.load offset=16 (i32.add (local.get $aX) (local.get $px))) (local.get $vbY)) (local.get $vc))
                  (v128.const f64x2 0.5 0.5)))
                (local.set $V (f64x2.sub (f64x2.add (f64x2.add (v128.load (i32.add (local.get $dX) (local.get $px))) (local.get $veY)) (local.get $vf))
                  (v128.const f64x2 0.5 0.5)))
                (local.set $V2 (f64x2.sub (f64x2.add (f64x2.add (v128.load offset=16 (i32.add (local.get $dX) (local.get $px))) (local.get $veY)) (local.get $vf))
                  (v128.const f64x2 0.5 0.5)))
                (local.set $lo (f64x2.floor (local.get $U)))
                (local.set $lo2 (f64x2.floor (local.get $U2)))
                (local.set $hi (f64x2.floor (local.get $V)))
                (local.set $hi2 (f64x2.floor (local.get $V2)))
                (local.set $fl0 (f64x2.extract_lane 0 (local.get $lo)))
                (local.set $fv0 (f64x2.extract_lane 0 (local.get $hi)))
                ;; source columns i0..i0+3 (a run's first condition, with or without a row step)
                (local.set $colsRun (i32.and
                  (i64x2.all_true (f64x2.eq (local.get $lo)
                    (f64x2.add (f64x2.splat (local.get $fl0)) (v128.const f64x2 0 1))))
                  (i64x2.all_true (f64x2.eq (local.get $lo2)
                    (f64x2.add (f64x2.splat (local.get $fl0)) (v128.const f64x2 2 3))))))
                (if (i32.and
                      (i32.and
                        (local.get $colsRun)
                        (i32.and
                          (i64x2.all_true (f64x2.eq (local.get $hi) (f64x2.splat (local.get $fv0))))
                          (i64x2.all_true (f64x2.eq (local.get $hi2) (f64x2.splat (local.get $fv0))))))
                      (i32.and
                        (i32.and (f64.ge (local.get $fl0) (f64.const 0)) (f64.lt (local.get $fl0) (local.get $runEndX)))
                        (i32.and (f64.ge (local.get $fv0) (f64.const 0)) (f64.lt (local.get $fv0) (local.get $maxYf)))))
                  (then
                    (local.set $i (i32.add (i32.add (local.get $src) (i32.mul (i32.trunc_f64_s (local.get $fl0)) (i32.const 3)))
                      (i32.mul (i32.trunc_f64_s (local.get $fv0)) (local.get $stride))))
                    (local.set $fx1 (f64x2.sub (local.get $U) (local.get $lo)))
                    (local.set $fx2 (f64x2.sub (local.get $U2) (local.get $lo2)))
                    (local.set $fy1 (f64x2.sub (local.get $V) (local.get $hi)))
                    (local.set $fy2 (f64x2.sub (local.get $V2) (local.get $hi2)))
                    (local.set $j (i32.add (local.get $i) (local.get $stride)))
                    #fLoad4()
                    (local.set $res #fRun4((local.get $fx1), (local.get $fy1), (local.get $fx2), (local.get $fy2)))
                    (if (v128.any_true (local.get $near))
                      (then
                        (local.set $r0v #gChunk(offset=0, offset=3, #gDup0((local.get $fx1)), #gDup0((local.get $fy1)), (local.get $fx1), (local.get $fy1)))
                        (local.set $r1v #gChunk(offset=4, offset=7, #gDup1((local.get $fx1)), #gDup1((local.get $fy1)), #gDup0((local.get $fx2)), #gDup0((local.get $fy2))))
                        (local.set $r2v #gChunk(offset=8, offset=11, (local.get $fx2), (local.get $fy2), #gDup1((local.get $fx2)), #gDup1((local.get $fy2))))
                        (local.set $res (i8x16.narrow_i16x8_u (i16x8.narrow_i32x4_u (local.get $r0v) (local.get $r1v))
                          (i16x8.narrow_i32x4_u (local.get $r2v) (local.get $r2v))))))
                    (v128.store (local.get $o) (local.get $res))
                    (local.set $o (i32.add (local.get $o) (i32.const 12)))
                    (local.set $x (i32.add (local.get $x) (i32.const 4)))
                    (br $cols)))
;; else, with consecutive source columns as above, pixels whose source row is j0 or j0 + s (s = +1 or -1,
                ;; the last pixel's, every row pair inside the image): each value takes its own pixel's row
                ;; pair (bytes selected by the pixels' masks from the run at j0 and the one at j0 + s), then
                ;; the float32 run as above; a value near a rounding edge sends the 4 pixels to the paths below
                (local.set $fv3 (f64x2.extract_lane 1 (local.get $hi2)))
                (local.set $m1 (f64x2.eq (local.get $hi) (f64x2.splat (local.get $fv3))))
                (local.set $m2 (f64x2.eq (local.get $hi2) (f64x2.splat (local.get $fv3))))
                (if (i32.and
                      (i32.and
                        (local.get $colsRun)
                        (i32.and
                          (i64x2.all_true (v128.or (local.get $m1) (f64x2.eq (local.get $hi) (f64x2.splat (local.get $fv0)))))
                          (i64x2.all_true (v128.or (local.get $m2) (f64x2.eq (local.get $hi2) (f64x2.splat (local.get $fv0)))))))
                      (i32.and
                        (i32.and
                          (i32.and (f64.ge (local.get $fl0) (f64.const 0)) (f64.lt (local.get $fl0) (local.get $runEndX)))
                          (f64.eq (f64.abs (f64.sub (local.get $fv3) (local.get $fv0))) (f64.const 1)))
                        (i32.and
                          (f64.ge (f64.min (local.get $fv0) (local.get $fv3)) (f64.const 0))
                          (f64.lt (f64.max (local.get $fv0) (local.get $fv3)) (local.get $maxYf)))))
                  (then
                    (local.set $i (i32.add (i32.add (local.get $src) (i32.mul (i32.trunc_f64_s (local.get $fl0)) (i32.const 3)))
                      (i32.mul (i32.trunc_f64_s (local.get $fv0)) (local.get $stride))))
                    (local.set $j (i32.add (i32.add (local.get $src) (i32.mul (i32.trunc_f64_s (local.get $fl0)) (i32.const 3)))
                      (i32.mul (i32.trunc_f64_s (local.get $fv3)) (local.get $stride))))
                    ;; the pixels on row j0 + s as a byte mask (pixel p: bytes 3p..3p+2)
                    (local.set $m1 (i8x16.shuffle 0 0 0 8 8 8 16 16 16 24 24 24 24 24 24 24 (local.get $m1) (local.get $m2)))
                    (local.set $s00 (v128.bitselect (v128.load (local.get $j)) (v128.load (local.get $i)) (local.get $m1)))
                    (local.set $s01 (v128.bitselect (v128.load offset=3 (local.get $j)) (v128.load offset=3 (local.get $i)) (local.get $m1)))
                    (local.set $i (i32.add (local.get $i) (local.get $stride)))
                    (local.set $j (i32.add (local.get $j) (local.get $stride)))
                    (local.set $s10 (v128.bitselect (v128.load (local.get $j)) (v128.load (local.get $i)) (local.get $m1)))
                    (local.set $s11 (v128.bitselect (v128.load offset=3 (local.get $j)) (v128.load offset=3 (local.get $i)) (local.get $m1)))
                    (local.set $fx1 (f64x2.sub (local.get $U) (local.get $lo)))
                    (local.set $fx2 (f64x2.sub (local.get $U2) (local.get $lo2)))
                    (local.set $fy1 (f64x2.sub (local.get $V) (local.get $hi)))
                    (local.set $fy2 (f64x2.sub (local.get $V2) (local.get $hi2)))
                    (local.set $res #fRun4((local.get $fx1), (local.get $fy1), (local.get $fx2), (local.get $fy2)))
                    (if (i32.eqz (v128.any_true (local.get $near)))
                      (then
                        (v128.store (local.get $o) (local.get $res))
                        (local.set $o (i32.add (local.get $o) (i32.const 12)))
                        (local.set $x (i32.add (local.get $x) (i32.const 4)))
                        (br $cols)))))
                                ;; else the first 2 pixels alone on the same terms (0 <= i0, i0 + 1 < W - 1): values 0-5 as in
                ;; the run (the 2 values computed past them are written over by the next pixel)
                (if (i32.and
                      (i32.and
                        (i64x2.all_true (f64x2.eq (local.get $lo)
                          (f64x2.add (f64x2.splat (local.get $fl0)) (v128.const f64x2 0 1))))
                        (i64x2.all_true (f64x2.eq (local.get $hi) (f64x2.splat (local.get $fv0)))))
                      (i32.and
                        (i32.and (f64.ge (local.get $fl0) (f64.const 0)) (f64.lt (local.get $fl0) (local.get $pairEndX)))
                        (i32.and (f64.ge (local.get $fv0) (f64.const 0)) (f64.lt (local.get $fv0) (local.get $maxYf)))))
                  (then
                    (local.set $i (i32.add (i32.add (local.get $src) (i32.mul (i32.trunc_f64_s (local.get $fl0)) (i32.const 3)))
                      (i32.mul (i32.trunc_f64_s (local.get $fv0)) (local.get $stride))))
                    (local.set $fx1 (f64x2.sub (local.get $U) (local.get $lo)))
                    (local.set $fy1 (f64x2.sub (local.get $V) (local.get $hi)))
                    (local.set $j (i32.add (local.get $i) (local.get $stride)))
                    (local.set $r0v #gChunk(offset=0, offset=3, #gDup0((local.get $fx1)), #gDup0((local.get $fy1)), (local.get $fx1), (local.get $fy1)))
                    (local.set $r1v #gChunk(offset=4, offset=7, #gDup1((local.get $fx1)), #gDup1((local.get $fy1)), #gDup1((local.get $fx1)), #gDup1((local.get $fy1))))
                    (v128.store64_lane 0 (local.get $o)
                      (i8x16.narrow_i16x8_u (local.tee $r0v (i16x8.narrow_i32x4_u (local.get $r0v) (local.get $r1v))) (local.get $r0v)))
                    (local.set $o (i32.add (local.get $o) (i32.const 6)))
                    (local.set $x (i32.add (local.get $x) (i32.const 2)))
                    (br $cols)))))
            (if (i32.le_s (i32.add (local.get $x) (i32.const 2)) (local.get $width))
              (then
                ;; pixels x and x + 1 together when both are in bounds: u, v, the floors, fractions and clamped
                ;; neighbour offsets in lanes, then the 6 values in 3 f64x2 (pixel 0's channels 0-1, pixel 0's
                ;; channel 2 and pixel 1's channel 0, pixel 1's channels 1-2)
                (local.set $px (i32.shl (local.get $x) (i32.const 3)))
                (local.set $U (f64x2.add (f64x2.add (v128.load (i32.add (local.get $aX) (local.get $px))) (local.get $vbY)) (local.get $vc)))
                (local.set $V (f64x2.add (f64x2.add (v128.load (i32.add (local.get $dX) (local.get $px))) (local.get $veY)) (local.get $vf)))
                (local.set $lo
                  (v128.and
                    (v128.and (f64x2.ge (local.get $U) (v128.const f64x2 0 0)) (f64x2.lt (local.get $U) (local.get $vw)))
                    (v128.and (f64x2.ge (local.get $V) (v128.const f64x2 0 0)) (f64x2.lt (local.get $V) (local.get $vh)))))
                ;; both outside the image (NaN included): black
                (if (i32.eqz (v128.any_true (local.get $lo)))
                  (then
                    (v128.store64_lane 0 (local.get $o) (v128.const i64x2 0 0))
                    (local.set $o (i32.add (local.get $o) (i32.const 6)))
                    (local.set $x (i32.add (local.get $x) (i32.const 2)))
                    (br $cols)))
                (if (i64x2.all_true (local.get $lo))
                  (then
                    (local.set $U (f64x2.sub (local.get $U) (v128.const f64x2 0.5 0.5)))
                    (local.set $V (f64x2.sub (local.get $V) (v128.const f64x2 0.5 0.5)))
                    (local.set $lo (f64x2.floor (local.get $U)))
                    (local.set $hi (f64x2.floor (local.get $V)))
                    (local.set $fx1 (f64x2.sub (local.get $U) (local.get $lo)))
                    (local.set $fy1 (f64x2.sub (local.get $V) (local.get $hi)))
                    ;; [i, i', j, j'] (each >= -1 and <= W - 1 or H - 1)
                    (local.set $lo (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                      (i32x4.trunc_sat_f64x2_s_zero (local.get $lo)) (i32x4.trunc_sat_f64x2_s_zero (local.get $hi))))
                    (local.set $hi (i32x4.mul (i32x4.min_s (i32x4.add (local.get $lo) (v128.const i32x4 1 1 1 1)) (local.get $max)) (local.get $mul)))
                    (local.set $lo (i32x4.mul (i32x4.max_s (local.get $lo) (v128.const i32x4 0 0 0 0)) (local.get $mul)))
                    ;; [col0, col0', col1, col1'] + [row0, row0', row0, row0'] (and row1)
                    (local.set $cols (i32x4.add (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $lo) (local.get $hi))
                      (i32x4.splat (local.get $src))))
                    (local.set $p0 (i32x4.add (local.get $cols) (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $lo) (local.get $lo))))
                    (local.set $p1 (i32x4.add (local.get $cols) (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $hi) (local.get $hi))))
                    (local.set $n00 #gPair6((i32x4.extract_lane 0 (local.get $p0)), (i32x4.extract_lane 1 (local.get $p0))))
                    (local.set $n01 #gPair6((i32x4.extract_lane 2 (local.get $p0)), (i32x4.extract_lane 3 (local.get $p0))))
                    (local.set $n10 #gPair6((i32x4.extract_lane 0 (local.get $p1)), (i32x4.extract_lane 1 (local.get $p1))))
                    (local.set $n11 #gPair6((i32x4.extract_lane 2 (local.get $p1)), (i32x4.extract_lane 3 (local.get $p1))))
                    (local.set $fx0 #gDup0((local.get $fx1)))
                    (local.set $fy0 #gDup0((local.get $fy1)))
                    (local.set $r0v #gBilinear(#gLo(#gLow4((local.get $n00))), #gLo(#gLow4((local.get $n01))), #gLo(#gLow4((local.get $n10))), #gLo(#gLow4((local.get $n11))), (local.get $fx0), (local.get $fy0)))
                    (local.set $r1v #gBilinear(#gHi(#gLow4((local.get $n00))), #gHi(#gLow4((local.get $n01))), #gHi(#gLow4((local.get $n10))), #gHi(#gLow4((local.get $n11))), (local.get $fx1), (local.get $fy1)))
                    (local.set $fx0 #gDup1((local.get $fx1)))
                    (local.set $fy0 #gDup1((local.get $fy1)))
                    (local.set $r2v #gBilinear(#gLo(#gHigh4((local.get $n00))), #gLo(#gHigh4((local.get $n01))), #gLo(#gHigh4((local.get $n10))), #gLo(#gHigh4((local.get $n11))), (local.get $fx0), (local.get $fy0)))
                    (v128.store64_lane 0 (local.get $o)
                      (i8x16.narrow_i16x8_u
                        (i16x8.narrow_i32x4_u
                          #gLow32(#gMagic((local.get $r0v)), #gMagic((local.get $r1v)))
                          (local.tee $r2v (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 #gMagic((local.get $r2v)) #gMagic((local.get $r2v)))))
                        (local.get $r2v)))
                    (local.set $o (i32.add (local.get $o) (i32.const 6)))
                    (local.set $x (i32.add (local.get $x) (i32.const 2)))
                    (br $cols)))))
            (local.set $u
              (f64.add
                (f64.add (f64.load (i32.add (local.get $aX) (i32.shl (local.get $x) (i32.const 3)))) (local.get $bY))
                (local.get $c)))
            (local.set $v
              (f64.add
                (f64.add (f64.load (i32.add (local.get $dX) (i32.shl (local.get $x) (i32.const 3)))) (local.get $eY))
                (local.get $f)))
            (if (i32.and
                  (i32.and (f64.ge (local.get $u) (f64.const 0)) (f64.lt (local.get $u) (local.get $wf)))
                  (i32.and (f64.ge (local.get $v) (f64.const 0)) (f64.lt (local.get $v) (local.get $hf))))
              (then
                (local.set $us (f64.sub (local.get $u) (f64.const 0.5)))
                (local.set $vs (f64.sub (local.get $v) (f64.const 0.5)))
                (local.set $fx (f64x2.splat (f64.floor (local.get $us))))
                (local.set $fy (f64x2.splat (f64.floor (local.get $vs))))
                (local.set $i (i32.trunc_f64_s (f64x2.extract_lane 0 (local.get $fx))))
                (local.set $j (i32.trunc_f64_s (f64x2.extract_lane 0 (local.get $fy))))
                (local.set $fx (f64x2.sub (f64x2.splat (local.get $us)) (local.get $fx)))
                (local.set $fy (f64x2.sub (f64x2.splat (local.get $vs)) (local.get $fy)))
                (local.set $c0 (i32.mul (select (local.get $i) (i32.const 0) (i32.gt_s (local.get $i) (i32.const 0))) (i32.const 3)))
                (local.set $c1 (i32.add (local.get $i) (i32.const 1)))
                (local.set $c1 (i32.mul (select (local.get $c1) (local.get $maxX) (i32.lt_s (local.get $c1) (local.get $maxX))) (i32.const 3)))
                (local.set $r0 (i32.add (local.get $src)
                  (i32.mul (select (local.get $j) (i32.const 0) (i32.gt_s (local.get $j) (i32.const 0))) (local.get $stride))))
                (local.set $r1 (i32.add (local.get $j) (i32.const 1)))
                (local.set $r1 (i32.add (local.get $src)
                  (i32.mul (select (local.get $r1) (local.get $maxY) (i32.lt_s (local.get $r1) (local.get $maxY))) (local.get $stride))))
                (local.set $s00 #gByte4((i32.add (local.get $r0) (local.get $c0))))
                (local.set $s01 #gByte4((i32.add (local.get $r0) (local.get $c1))))
                (local.set $s10 #gByte4((i32.add (local.get $r1) (local.get $c0))))
                (local.set $s11 #gByte4((i32.add (local.get $r1) (local.get $c1))))
                ;; channels 0-1
                (local.set $top #gLo((local.get $s00)))
                (local.set $top
                  (f64x2.add (local.get $top) (f64x2.mul (f64x2.sub #gLo((local.get $s01)) (local.get $top)) (local.get $fx))))
                (local.set $bottom #gLo((local.get $s10)))
                (local.set $bottom
                  (f64x2.add (local.get $bottom)
                    (f64x2.mul (f64x2.sub #gLo((local.get $s11)) (local.get $bottom)) (local.get $fx))))
                (local.set $ra
                  (f64x2.add (local.get $top) (f64x2.mul (f64x2.sub (local.get $bottom) (local.get $top)) (local.get $fy))))
                ;; channels 2-3
                (local.set $top #gHi((local.get $s00)))
                (local.set $top
                  (f64x2.add (local.get $top) (f64x2.mul (f64x2.sub #gHi((local.get $s01)) (local.get $top)) (local.get $fx))))
                (local.set $bottom #gHi((local.get $s10)))
                (local.set $bottom
                  (f64x2.add (local.get $bottom)
                    (f64x2.mul (f64x2.sub #gHi((local.get $s11)) (local.get $bottom)) (local.get $fx))))
                #store3($o, #gPack((local.get $ra), (f64x2.add (local.get $top) (f64x2.mul (f64x2.sub (local.get $bottom) (local.get $top)) (local.get $fy))))))
              (else #store3($o, (i32.const 0))))
            (local.set $o (i32.add (local.get $o) (i32.const 3)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $cols)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows))))
  ;; The RGB image at $src ($width x $height, rows of 3 * $width bytes) transposed into $dst ($height x $width):
  ;; dst pixel (y, x) = src pixel (x, y). 4 x 4 pixel blocks go through 4 loads, 8 shuffles and 8 stores (each
  ;; output row of 12 bytes as 8 + 4, so nothing past it is touched); the pixels of a last partial column or
  ;; row of blocks go one by one. The 16-byte loads read up to 4 bytes past a block's rows (the source is
  ;; followed by padding, see above).
  (func (export "transposeRgb") (param $src i32) (param $dst i32) (param $width i32) (param $height i32)
    (local $bx i32) (local $by i32) (local $w4 i32) (local $h4 i32) (local $sStride i32) (local $dStride i32)
    (local $s i32) (local $d i32) (local $x i32) (local $y i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $p v128) (local $q v128) (local $t v128)
    (local.set $sStride (i32.mul (local.get $width) (i32.const 3)))
    (local.set $dStride (i32.mul (local.get $height) (i32.const 3)))
    (local.set $w4 (i32.and (local.get $width) (i32.const -4)))
    (local.set $h4 (i32.and (local.get $height) (i32.const -4)))
    (block $bxDone
      (loop $bxLoop
        (br_if $bxDone (i32.ge_s (local.get $bx) (local.get $w4)))
        (local.set $by (i32.const 0))
        (block $byDone
          (loop $byLoop
            (br_if $byDone (i32.ge_s (local.get $by) (local.get $h4)))
            (local.set $s (i32.add (local.get $src)
              (i32.add (i32.mul (local.get $by) (local.get $sStride)) (i32.mul (local.get $bx) (i32.const 3)))))
            (local.set $r0 (v128.load (local.get $s)))
            (local.set $s (i32.add (local.get $s) (local.get $sStride)))
            (local.set $r1 (v128.load (local.get $s)))
            (local.set $s (i32.add (local.get $s) (local.get $sStride)))
            (local.set $r2 (v128.load (local.get $s)))
            (local.set $s (i32.add (local.get $s) (local.get $sStride)))
            (local.set $r3 (v128.load (local.get $s)))
            (local.set $d (i32.add (local.get $dst)
              (i32.add (i32.mul (local.get $bx) (local.get $dStride)) (i32.mul (local.get $by) (i32.const 3)))))
            ;; pixels 0-1 of rows 0-1 and of rows 2-3, each as [row a pixel k, row b pixel k, row a pixel k+1, row b pixel k+1]
            (local.set $p (i8x16.shuffle 0 1 2 16 17 18 3 4 5 19 20 21 0 0 0 0 (local.get $r0) (local.get $r1)))
            (local.set $q (i8x16.shuffle 0 1 2 16 17 18 3 4 5 19 20 21 0 0 0 0 (local.get $r2) (local.get $r3)))
            (local.set $t (i8x16.shuffle 0 1 2 3 4 5 16 17 18 19 20 21 0 0 0 0 (local.get $p) (local.get $q)))
            (v128.store64_lane 0 (local.get $d) (local.get $t))
            (v128.store32_lane offset=8 2 (local.get $d) (local.get $t))
            (local.set $d (i32.add (local.get $d) (local.get $dStride)))
            (local.set $t (i8x16.shuffle 6 7 8 9 10 11 22 23 24 25 26 27 0 0 0 0 (local.get $p) (local.get $q)))
            (v128.store64_lane 0 (local.get $d) (local.get $t))
            (v128.store32_lane offset=8 2 (local.get $d) (local.get $t))
            (local.set $d (i32.add (local.get $d) (local.get $dStride)))
            ;; pixels 2-3 likewise
            (local.set $p (i8x16.shuffle 6 7 8 22 23 24 9 10 11 25 26 27 0 0 0 0 (local.get $r0) (local.get $r1)))
            (local.set $q (i8x16.shuffle 6 7 8 22 23 24 9 10 11 25 26 27 0 0 0 0 (local.get $r2) (local.get $r3)))
            (local.set $t (i8x16.shuffle 0 1 2 3 4 5 16 17 18 19 20 21 0 0 0 0 (local.get $p) (local.get $q)))
            (v128.store64_lane 0 (local.get $d) (local.get $t))
            (v128.store32_lane offset=8 2 (local.get $d) (local.get $t))
            (local.set $d (i32.add (local.get $d) (local.get $dStride)))
            (local.set $t (i8x16.shuffle 6 7 8 9 10 11 22 23 24 25 26 27 0 0 0 0 (local.get $p) (local.get $q)))
            (v128.store64_lane 0 (local.get $d) (local.get $t))
            (v128.store32_lane offset=8 2 (local.get $d) (local.get $t))
            (local.set $by (i32.add (local.get $by) (i32.const 4)))
            (br $byLoop)))
        (local.set $bx (i32.add (local.get $bx) (i32.const 4)))
        (br $bxLoop)))
    ;; the pixels outside the blocks: columns from w4 on (every row), then rows from h4 on (columns before w4)
    (local.set $y (i32.const 0))
    (block $edgeDone
      (loop $edge
        (br_if $edgeDone (i32.ge_s (local.get $y) (local.get $height)))
        (local.set $x (select (i32.const 0) (local.get $w4) (i32.ge_s (local.get $y) (local.get $h4))))
        (block $rowDone
          (loop $row
            (br_if $rowDone (i32.ge_s (local.get $x) (local.get $width)))
            (local.set $s (i32.add (local.get $src) (i32.add (i32.mul (local.get $y) (local.get $sStride)) (i32.mul (local.get $x) (i32.const 3)))))
            (local.set $d (i32.add (local.get $dst) (i32.add (i32.mul (local.get $x) (local.get $dStride)) (i32.mul (local.get $y) (i32.const 3)))))
            (i32.store16 (local.get $d) (i32.load16_u (local.get $s)))
            (i32.store8 offset=2 (local.get $d) (i32.load8_u offset=2 (local.get $s)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $row)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $edge))))
  ;; ---- end of bilinear geometry ----

  ;; mix.ts mixValue3 on $n values: acc = ((0 + wa*x) + wb*y) + wc*z; r = (keep*o + m*acc) + 0.5;
  ;; out = clamp(floor(r), 0, 255) (the same as mix.ts's roundClamp: floor is monotonic). 4 values a step;
  ;; inputs are padded to a multiple of 4 bytes, and the bytes past $n are computed and written, never read back.
  (func (export "mix3")
    (param $po i32) (param $pa i32) (param $pb i32) (param $pc i32) (param $out i32) (param $n i32)
    (param $wa f64) (param $wb f64) (param $wc f64) (param $keep f64) (param $m f64)
    (local $i i32) (local $o v128) (local $a v128) (local $b v128) (local $c v128) (local $acc v128)
    (local $vwa v128) (local $vwb v128) (local $vwc v128) (local $vkeep v128) (local $vm v128) (local $lo v128)
    (local $w v128)
    (local.set $vwa (f64x2.splat (local.get $wa)))
    (local.set $vwb (f64x2.splat (local.get $wb)))
    (local.set $vwc (f64x2.splat (local.get $wc)))
    (local.set $vkeep (f64x2.splat (local.get $keep)))
    (local.set $vm (f64x2.splat (local.get $m)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $o #load4((i32.add (local.get $po) (local.get $i))))
        (local.set $a #load4((i32.add (local.get $pa) (local.get $i))))
        (local.set $b #load4((i32.add (local.get $pb) (local.get $i))))
        (local.set $c #load4((i32.add (local.get $pc) (local.get $i))))
        (local.set $lo #mixQuad(#lo((local.get $o)), #lo((local.get $a)), #lo((local.get $b)), #lo((local.get $c))))
        (i32.store (i32.add (local.get $out) (local.get $i))
          #pack((local.get $lo), #mixQuad(#hi((local.get $o)), #hi((local.get $a)), #hi((local.get $b)), #hi((local.get $c))), $w))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next))))

  ;; mix3 on $n values, 16 a step, in float32: out = clamp(floor(((keep*o) + m*acc) + 0.5), 0, 255) with
  ;; acc = (wa*a + wb*b) + wc*c. The caller (mix.ts mix3Simd) uses it only when the weights, m and keep are
  ;; in [0, 1] and wa + wb + wc <= 1.0001; then every f32 intermediate lies in [0, 256) and the f32 value differs
  ;; from the exact real one by less than 1.1e-4 (5 roundings of the parameters, at most 255 * 2^-25 each, and
  ;; 9 roundings of operations, at most 2^-17 each), and the float64 value of mix3 by less than 1e-12. So when
  ;; the f32 value's fraction is at least eps = 2^-11 away from 0 and from 1, all three have the same floor and
  ;; the byte is mix3's. A step with any lane nearer than that is recomputed in float64 exactly as mix3 does
  ;; (scalar), so the output equals mix3's for every input. Inputs are padded to a multiple of 16 bytes; the
  ;; bytes past $n are computed and written, never read back.
  (func (export "mix3f32")
    (param $po i32) (param $pa i32) (param $pb i32) (param $pc i32) (param $out i32) (param $n i32)
    (param $wa f64) (param $wb f64) (param $wc f64) (param $keep f64) (param $m f64)
    (local $i i32) (local $j i32) (local $o v128) (local $a v128) (local $b v128) (local $c v128)
    (local $fwa v128) (local $fwb v128) (local $fwc v128) (local $fkeep v128) (local $fm v128)
    (local $half v128) (local $eps v128) (local $oneLessEps v128) (local $near v128)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $f0 v128) (local $f1 v128) (local $f2 v128) (local $f3 v128)
    (local $acc f64) (local $r f64) (local $k i32)
    (local.set $fwa (f32x4.splat (f32.demote_f64 (local.get $wa))))
    (local.set $fwb (f32x4.splat (f32.demote_f64 (local.get $wb))))
    (local.set $fwc (f32x4.splat (f32.demote_f64 (local.get $wc))))
    (local.set $fkeep (f32x4.splat (f32.demote_f64 (local.get $keep))))
    (local.set $fm (f32x4.splat (f32.demote_f64 (local.get $m))))
    (local.set $half (f32x4.splat (f32.const 0.5)))
    (local.set $eps (f32x4.splat (f32.const 0x1p-11)))
    (local.set $oneLessEps (f32x4.splat (f32.const 0x1.ffep-1)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $o (v128.load (i32.add (local.get $po) (local.get $i))))
        (local.set $a (v128.load (i32.add (local.get $pa) (local.get $i))))
        (local.set $b (v128.load (i32.add (local.get $pb) (local.get $i))))
        (local.set $c (v128.load (i32.add (local.get $pc) (local.get $i))))
        (local.set $near (v128.const i32x4 0 0 0 0))
        #mixF32(#q0((local.get $o)), #q0((local.get $a)), #q0((local.get $b)), #q0((local.get $c)), $r0, $f0)
        #mixF32(#q1((local.get $o)), #q1((local.get $a)), #q1((local.get $b)), #q1((local.get $c)), $r1, $f1)
        #mixF32(#q2((local.get $o)), #q2((local.get $a)), #q2((local.get $b)), #q2((local.get $c)), $r2, $f2)
        #mixF32(#q3((local.get $o)), #q3((local.get $a)), #q3((local.get $b)), #q3((local.get $c)), $r3, $f3)
        (v128.store (i32.add (local.get $out) (local.get $i))
          (i8x16.narrow_i16x8_u
            (i16x8.narrow_i32x4_s #fByte((local.get $f0)) #fByte((local.get $f1)))
            (i16x8.narrow_i32x4_s #fByte((local.get $f2)) #fByte((local.get $f3)))))
        (if (v128.any_true (local.get $near))
          (then
            ;; mix3's float64 expression, value by value, for the whole step
            (local.set $j (i32.const 0))
            (block $exactDone
              (loop $exact
                (br_if $exactDone (i32.ge_s (local.get $j) (i32.const 16)))
                (local.set $k (i32.add (local.get $i) (local.get $j)))
                (local.set $acc (f64.add (f64.const 0)
                  (f64.mul (local.get $wa) (f64.convert_i32_u (i32.load8_u (i32.add (local.get $pa) (local.get $k)))))))
                (local.set $acc (f64.add (local.get $acc)
                  (f64.mul (local.get $wb) (f64.convert_i32_u (i32.load8_u (i32.add (local.get $pb) (local.get $k)))))))
                (local.set $acc (f64.add (local.get $acc)
                  (f64.mul (local.get $wc) (f64.convert_i32_u (i32.load8_u (i32.add (local.get $pc) (local.get $k)))))))
                (local.set $r
                  (f64.add
                    (f64.add
                      (f64.mul (local.get $keep) (f64.convert_i32_u (i32.load8_u (i32.add (local.get $po) (local.get $k)))))
                      (f64.mul (local.get $m) (local.get $acc)))
                    (f64.const 0.5)))
                (i32.store8 (i32.add (local.get $out) (local.get $k))
                  (if (result i32) (f64.ge (local.get $r) (f64.const 255))
                    (then (i32.const 255))
                    (else (if (result i32) (f64.le (local.get $r) (f64.const 0))
                      (then (i32.const 0))
                      (else (i32.trunc_f64_s (local.get $r)))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $exact)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

  ;; ---- the small-PNG writer (src/codec/png-encode-simd.ts; TypeScript twin: png-encode.ts) ----
  ;; An image's rows as a "plane": $height rows of $stride bytes, without PNG's filter bytes (every row's
  ;; filter is 4, Paeth, which the writer below sends before each row). Integer kernels: exact by construction.

  ;; The Paeth-filtered plane of the RGB plane at $src (rows of $stride >= 11 bytes) into $dst: row 0 less its
  ;; left byte (0 for the first pixel), other rows' first pixel less the byte above, every other byte less the
  ;; Paeth predictor of its left, upper and upper-left bytes, 8 bytes a step in i16x8 lanes (a row's last step
  ;; is moved back to end at the row's end, recomputing a few bytes with the same result).
  (func (export "paethPlane") (param $src i32) (param $dst i32) (param $stride i32) (param $height i32)
    (local $y i32) (local $x i32) (local $p i32) (local $q i32) (local $last i32)
    (local $a v128) (local $b v128) (local $c v128) (local $pa v128) (local $pb v128) (local $pc v128)
    (local $res v128)
    (local.set $x (i32.const 0))
    (block $firstDone
      (loop $first
        (br_if $firstDone (i32.ge_u (local.get $x) (local.get $stride)))
        (i32.store8 (i32.add (local.get $dst) (local.get $x))
          (i32.sub (i32.load8_u (i32.add (local.get $src) (local.get $x)))
            (if (result i32) (i32.ge_u (local.get $x) (i32.const 3))
              (then (i32.load8_u (i32.add (local.get $src) (i32.sub (local.get $x) (i32.const 3)))))
              (else (i32.const 0)))))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $first)))
    (local.set $last (i32.sub (local.get $stride) (i32.const 8)))
    (local.set $y (i32.const 1))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $y) (local.get $height)))
        (local.set $p (i32.add (local.get $src) (i32.mul (local.get $y) (local.get $stride))))
        (local.set $q (i32.add (local.get $dst) (i32.mul (local.get $y) (local.get $stride))))
        (i32.store8 offset=0 (local.get $q)
          (i32.sub (i32.load8_u offset=0 (local.get $p)) (i32.load8_u offset=0 (i32.sub (local.get $p) (local.get $stride)))))
        (i32.store8 offset=1 (local.get $q)
          (i32.sub (i32.load8_u offset=1 (local.get $p)) (i32.load8_u offset=1 (i32.sub (local.get $p) (local.get $stride)))))
        (i32.store8 offset=2 (local.get $q)
          (i32.sub (i32.load8_u offset=2 (local.get $p)) (i32.load8_u offset=2 (i32.sub (local.get $p) (local.get $stride)))))
        (local.set $x (i32.const 3))
        (block $stepsDone
          (loop $steps
            (br_if $stepsDone (i32.ge_u (local.get $x) (local.get $stride)))
            (if (i32.gt_u (local.get $x) (local.get $last)) (then (local.set $x (local.get $last))))
            (local.set $a (v128.load8x8_u (i32.sub (i32.add (local.get $p) (local.get $x)) (i32.const 3))))
            (local.set $b (v128.load8x8_u (i32.sub (i32.add (local.get $p) (local.get $x)) (local.get $stride))))
            (local.set $c (v128.load8x8_u
              (i32.sub (i32.sub (i32.add (local.get $p) (local.get $x)) (local.get $stride)) (i32.const 3))))
            (local.set $pa (i16x8.abs (i16x8.sub (local.get $b) (local.get $c))))
            (local.set $pb (i16x8.abs (i16x8.sub (local.get $a) (local.get $c))))
            (local.set $pc (i16x8.abs (i16x8.sub (i16x8.add (local.get $a) (local.get $b)) (i16x8.add (local.get $c) (local.get $c)))))
            (local.set $res
              (i16x8.sub (v128.load8x8_u (i32.add (local.get $p) (local.get $x)))
                (v128.bitselect (local.get $a)
                  (v128.bitselect (local.get $b) (local.get $c) (i16x8.le_s (local.get $pb) (local.get $pc)))
                  (v128.and (i16x8.le_s (local.get $pa) (local.get $pb)) (i16x8.le_s (local.get $pa) (local.get $pc))))))
            (v128.store64_lane 0 (i32.add (local.get $q) (local.get $x))
              (i8x16.shuffle 0 2 4 6 8 10 12 14 0 2 4 6 8 10 12 14 (local.get $res) (local.get $res)))
            (local.set $x (i32.add (local.get $x) (i32.const 8)))
            (br $steps)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows))))

;; adds 1 to the i32 counter of byte value v in the counter set at byte offset `at` from $counts
;;#define count(v, at) (local.set $h (i32.add (local.get $counts) (i32.shl v (i32.const 2)))) (i32.store offset=at (local.get $h) (i32.add (i32.load offset=at (local.get $h)) (i32.const 1)))

  ;; How many times each byte value occurs in the $n bytes at $p, as 256 i32 at $counts (4 counter sets are
  ;; kept, so that runs of one value do not wait on one counter, then summed; $counts has room for 4 x 1 KiB).
  (func (export "byteCounts") (param $p i32) (param $n i32) (param $counts i32)
    (local $end i32) (local $groupsEnd i32) (local $h i32) (local $i i32)
    (memory.fill (local.get $counts) (i32.const 0) (i32.const 4096))
    (local.set $end (i32.add (local.get $p) (local.get $n)))
    (local.set $groupsEnd (i32.add (local.get $p) (i32.and (local.get $n) (i32.const -4))))
    (block $groupsDone
      (loop $groups
        (br_if $groupsDone (i32.ge_u (local.get $p) (local.get $groupsEnd)))
        #count((i32.load8_u offset=0 (local.get $p)), 0)
        #count((i32.load8_u offset=1 (local.get $p)), 1024)
        #count((i32.load8_u offset=2 (local.get $p)), 2048)
        #count((i32.load8_u offset=3 (local.get $p)), 3072)
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $groups)))
    (block $restDone
      (loop $rest
        (br_if $restDone (i32.ge_u (local.get $p) (local.get $end)))
        #count((i32.load8_u (local.get $p)), 0)
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $rest)))
    (block $sumDone
      (loop $sum
        (br_if $sumDone (i32.ge_u (local.get $i) (i32.const 1024)))
        (local.set $h (i32.add (local.get $counts) (local.get $i)))
        (v128.store (local.get $h)
          (i32x4.add
            (i32x4.add (v128.load offset=0 (local.get $h)) (v128.load offset=1024 (local.get $h)))
            (i32x4.add (v128.load offset=2048 (local.get $h)) (v128.load offset=3072 (local.get $h)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $sum))))

  ;; Writes the deflate bits of the plane at $plane as literals: before each row the code of byte 4 (its filter
  ;; byte), then each byte's code. $codes holds 256 i32 codes packed as code | length << 16 (code bit-reversed,
  ;; at most 15 bits). The bits not yet written come in and go out as two i32 at $state (value, count < 8);
  ;; they gather in an i64, written 4 bytes at a time once 32 bits are pending (at most 46 are). Returns the
  ;; offset after the bytes written.
  (func $huffmanRows
    (param $plane i32) (param $stride i32) (param $height i32) (param $codes i32) (param $out i32) (param $state i32)
    (result i32)
    (local $pending i64) (local $bits i64) (local $y i32) (local $p i32) (local $end i32) (local $code i32)
    (local $filter i32)
    (local.set $pending (i64.load32_u offset=0 (local.get $state)))
    (local.set $bits (i64.load32_u offset=4 (local.get $state)))
    (local.set $filter (i32.load offset=16 (local.get $codes)))
    (local.set $p (local.get $plane))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $y) (local.get $height)))
        (local.set $end (i32.add (local.get $p) (local.get $stride)))
        (local.set $code (local.get $filter))
        (loop $bytes
          (local.set $pending
            (i64.or (local.get $pending)
              (i64.shl (i64.extend_i32_u (i32.and (local.get $code) (i32.const 0xffff))) (local.get $bits))))
          (local.set $bits (i64.add (local.get $bits) (i64.extend_i32_u (i32.shr_u (local.get $code) (i32.const 16)))))
          (if (i64.ge_u (local.get $bits) (i64.const 32))
            (then
              (i64.store32 (local.get $out) (local.get $pending))
              (local.set $out (i32.add (local.get $out) (i32.const 4)))
              (local.set $pending (i64.shr_u (local.get $pending) (i64.const 32)))
              (local.set $bits (i64.sub (local.get $bits) (i64.const 32)))))
          (if (i32.lt_u (local.get $p) (local.get $end))
            (then
              (local.set $code
                (i32.load (i32.add (local.get $codes) (i32.shl (i32.load8_u (local.get $p)) (i32.const 2)))))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $bytes))))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows)))
    ;; whole bytes pending (up to 31 bits): write them, keep fewer than 8
    (block $flushed
      (loop $flush
        (br_if $flushed (i64.lt_u (local.get $bits) (i64.const 8)))
        (i64.store8 (local.get $out) (local.get $pending))
        (local.set $out (i32.add (local.get $out) (i32.const 1)))
        (local.set $pending (i64.shr_u (local.get $pending) (i64.const 8)))
        (local.set $bits (i64.sub (local.get $bits) (i64.const 8)))
        (br $flush)))
    (i64.store32 offset=0 (local.get $state) (local.get $pending))
    (i64.store32 offset=4 (local.get $state) (local.get $bits))
    (local.get $out))
  ;; The Adler-32 checksum (docs/png-writer.md, 3) of the plane's rows each behind its filter byte 4, as the
  ;; PNG's IDAT stream holds them (i64 sums, reduced after every row).
  (func $adlerRows (param $plane i32) (param $stride i32) (param $height i32) (result i32)
    (local $a i64) (local $b i64) (local $y i32) (local $p i32) (local $end i32)
    (local.set $a (i64.const 1))
    (local.set $p (local.get $plane))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $y) (local.get $height)))
        (local.set $a (i64.add (local.get $a) (i64.const 4)))
        (local.set $b (i64.add (local.get $b) (local.get $a)))
        (local.set $end (i32.add (local.get $p) (local.get $stride)))
        (block $bytesDone
          (loop $bytes
            (br_if $bytesDone (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $a (i64.add (local.get $a) (i64.load8_u (local.get $p))))
            (local.set $b (i64.add (local.get $b) (local.get $a)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $bytes)))
        (local.set $a (i64.rem_u (local.get $a) (i64.const 65521)))
        (local.set $b (i64.rem_u (local.get $b) (i64.const 65521)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows)))
    (i32.wrap_i64 (i64.or (i64.shl (local.get $b) (i64.const 16)) (local.get $a))))

  ;; The whole zlib stream of the plane's rows (each behind its filter byte 4), as png-encode-simd.ts had
  ;; huffman-deflate.ts plan it: the twin of planHuffmanStream + writeHuffmanStream, statement for statement.
  ;; $counts: the plane's 256 byte counts (byteCounts; the filter bytes are added here); $work: 11,264 bytes of
  ;; scratch; the stream goes to $out (at most 2 * (plane + height) + 1024 bytes). Returns its length.
;; BitWriter.put: the $width low bits of $value after the pending bits; whole bytes go out at $at
;;#define zPut(value, width) (local.set $pending (i32.or (local.get $pending) (i32.shl value (local.get $bits)))) (local.set $bits (i32.add (local.get $bits) width)) (block $putDone (loop $putLoop (br_if $putDone (i32.lt_u (local.get $bits) (i32.const 8))) (i32.store8 (local.get $at) (local.get $pending)) (local.set $at (i32.add (local.get $at) (i32.const 1))) (local.set $pending (i32.shr_u (local.get $pending) (i32.const 8))) (local.set $bits (i32.sub (local.get $bits) (i32.const 8))) (br $putLoop)))
;; BitWriter.putCode: a packed code (code | length << 16)
;;#define zPutCode(packed) (local.set $code packed) #zPut((i32.and (local.get $code) (i32.const 0xffff)), (i32.shr_u (local.get $code) (i32.const 16)))
  (func (export "huffmanStream")
    (param $plane i32) (param $stride i32) (param $height i32) (param $counts i32) (param $work i32) (param $out i32)
    (result i32)
    (local $freq i32) (local $litLengths i32) (local $litCodes i32) (local $rleSymbols i32) (local $rleExtras i32)
    (local $clFreq i32) (local $clLengths i32) (local $clCodes i32) (local $order i32) (local $state i32)
    (local $scratch i32) (local $count i32) (local $sent i32) (local $i i32) (local $symbol i32) (local $at i32)
    (local $pending i32) (local $bits i32) (local $code i32) (local $checksum i32)
    (local.set $freq (local.get $work))
    (local.set $litLengths (i32.add (local.get $work) (i32.const 1040)))
    (local.set $litCodes (i32.add (local.get $work) (i32.const 1312)))
    (local.set $rleSymbols (i32.add (local.get $work) (i32.const 2352)))
    (local.set $rleExtras (i32.add (local.get $work) (i32.const 2624)))
    (local.set $clFreq (i32.add (local.get $work) (i32.const 2896)))
    (local.set $clLengths (i32.add (local.get $work) (i32.const 2976)))
    (local.set $clCodes (i32.add (local.get $work) (i32.const 3008)))
    (local.set $order (i32.add (local.get $work) (i32.const 3088)))
    (local.set $state (i32.add (local.get $work) (i32.const 3120)))
    (local.set $scratch (i32.add (local.get $work) (i32.const 3136)))
    ;; the literal code: the byte counts, the filter bytes (4, once a row), end-of-block once
    (memory.copy (local.get $freq) (local.get $counts) (i32.const 1024))
    (i32.store offset=16 (local.get $freq) (i32.add (i32.load offset=16 (local.get $freq)) (local.get $height)))
    (i32.store offset=1024 (local.get $freq) (i32.const 1))
    (call $codeLengths (local.get $freq) (i32.const 257) (i32.const 15) (local.get $litLengths) (local.get $scratch))
    (call $packedCodes (local.get $litLengths) (i32.const 257) (local.get $litCodes) (local.get $scratch))
    ;; the literal then the two distance code lengths, run-length coded, and the code-length code
    (i32.store16 offset=257 (local.get $litLengths) (i32.const 0x0101))
    (local.set $count (call $runLengths (local.get $litLengths) (i32.const 259) (local.get $rleSymbols) (local.get $rleExtras)))
    (memory.fill (local.get $clFreq) (i32.const 0) (i32.const 76))
    (block $freqDone
      (loop $freqLoop
        (br_if $freqDone (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $symbol (i32.add (local.get $clFreq) (i32.shl (i32.load8_u (i32.add (local.get $rleSymbols) (local.get $i))) (i32.const 2))))
        (i32.store (local.get $symbol) (i32.add (i32.load (local.get $symbol)) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $freqLoop)))
    (call $codeLengths (local.get $clFreq) (i32.const 19) (i32.const 7) (local.get $clLengths) (local.get $scratch))
    (call $packedCodes (local.get $clLengths) (i32.const 19) (local.get $clCodes) (local.get $scratch))
    ;; CODE_LENGTH_ORDER, and how many of its lengths are sent (trailing zeros dropped, at least 4)
    (v128.store (local.get $order) (v128.const i8x16 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2))
    (i32.store16 offset=16 (local.get $order) (i32.const 0x010e))
    (i32.store8 offset=18 (local.get $order) (i32.const 15))
    (local.set $sent (i32.const 19))
    (block $sentDone
      (loop $sentLoop
        (br_if $sentDone (i32.le_u (local.get $sent) (i32.const 4)))
        (br_if $sentDone (i32.load8_u (i32.add (local.get $clLengths)
          (i32.load8_u (i32.add (local.get $order) (i32.sub (local.get $sent) (i32.const 1)))))))
        (local.set $sent (i32.sub (local.get $sent) (i32.const 1)))
        (br $sentLoop)))
    ;; zlib header, then the block's header: BFINAL, BTYPE 10, HLIT 0, HDIST 1, HCLEN, the code-length code
    ;; and the run-length coded code lengths
    (i32.store16 (local.get $out) (i32.const 0x0178))
    (local.set $at (i32.add (local.get $out) (i32.const 2)))
    #zPut((i32.const 1), (i32.const 1))
    #zPut((i32.const 2), (i32.const 2))
    #zPut((i32.const 0), (i32.const 5))
    #zPut((i32.const 1), (i32.const 5))
    #zPut((i32.sub (local.get $sent) (i32.const 4)), (i32.const 4))
    (local.set $i (i32.const 0))
    (block $clDone
      (loop $clLoop
        (br_if $clDone (i32.ge_u (local.get $i) (local.get $sent)))
        #zPut((i32.load8_u (i32.add (local.get $clLengths) (i32.load8_u (i32.add (local.get $order) (local.get $i))))), (i32.const 3))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $clLoop)))
    (local.set $i (i32.const 0))
    (block $lengthsDone
      (loop $lengthsLoop
        (br_if $lengthsDone (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $symbol (i32.load8_u (i32.add (local.get $rleSymbols) (local.get $i))))
        #zPutCode((i32.load (i32.add (local.get $clCodes) (i32.shl (local.get $symbol) (i32.const 2)))))
        ;; extra bits of 16, 17, 18: 2, 3, 7
        (if (i32.ge_u (local.get $symbol) (i32.const 16))
          (then
            #zPut((i32.load8_u (i32.add (local.get $rleExtras) (local.get $i))), (select (i32.const 7) (i32.add (local.get $symbol) (i32.const -14)) (i32.eq (local.get $symbol) (i32.const 18))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $lengthsLoop)))
    ;; the rows' literals, end-of-block, the last partial byte, Adler-32 (big-endian)
    (i32.store offset=0 (local.get $state) (local.get $pending))
    (i32.store offset=4 (local.get $state) (local.get $bits))
    (local.set $at (call $huffmanRows (local.get $plane) (local.get $stride) (local.get $height) (local.get $litCodes) (local.get $at) (local.get $state)))
    (local.set $pending (i32.load offset=0 (local.get $state)))
    (local.set $bits (i32.load offset=4 (local.get $state)))
    #zPutCode((i32.load offset=1024 (local.get $litCodes)))
    (if (i32.gt_u (local.get $bits) (i32.const 0))
      (then
        (i32.store8 (local.get $at) (local.get $pending))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))))
    (local.set $checksum (call $adlerRows (local.get $plane) (local.get $stride) (local.get $height)))
    (i32.store8 offset=0 (local.get $at) (i32.shr_u (local.get $checksum) (i32.const 24)))
    (i32.store8 offset=1 (local.get $at) (i32.shr_u (local.get $checksum) (i32.const 16)))
    (i32.store8 offset=2 (local.get $at) (i32.shr_u (local.get $checksum) (i32.const 8)))
    (i32.store8 offset=3 (local.get $at) (local.get $checksum))
    (i32.sub (i32.add (local.get $at) (i32.const 4)) (local.get $out)))

  ;; huffman-deflate.ts huffmanCodeLengths: lengths of at most $limit (<= 15) bits for the $n (<= 257) i32
  ;; frequencies at $freq, into the $n bytes at $lengths. Symbols by frequency then value (symbolsByFrequency:
  ;; radix passes of 8 bits), the two-queue Huffman tree, depths capped at $limit and the Kraft sum brought back
  ;; to 1 as miniz does; the least frequent symbols take the longest codes. $scratch: 7,824 bytes.
  (func $codeLengths (param $freq i32) (param $n i32) (param $limit i32) (param $lengths i32) (param $scratch i32)
    (local $symbols i32) (local $spare i32) (local $buckets i32) (local $weight i32) (local $parent i32)
    (local $depth i32) (local $perLength i32) (local $used i32) (local $largest i32) (local $s i32) (local $f i32)
    (local $i i32) (local $shift i32) (local $start i32) (local $t i32) (local $leaf i32) (local $merged i32)
    (local $made i32) (local $first i32) (local $second i32) (local $node i32) (local $len i32) (local $kraft i32)
    (local $next i32) (local $k i32)
    (local.set $symbols (local.get $scratch))
    (local.set $spare (i32.add (local.get $scratch) (i32.const 1040)))
    (local.set $buckets (i32.add (local.get $scratch) (i32.const 2080)))
    (local.set $weight (i32.add (local.get $scratch) (i32.const 3104)))
    (local.set $parent (i32.add (local.get $scratch) (i32.const 5168)))
    (local.set $depth (i32.add (local.get $scratch) (i32.const 7232)))
    (local.set $perLength (i32.add (local.get $scratch) (i32.const 7760)))
    (memory.fill (local.get $lengths) (i32.const 0) (local.get $n))
    ;; the symbols that occur, in value order, and the largest frequency
    (block $usedDone
      (loop $usedLoop
        (br_if $usedDone (i32.ge_u (local.get $s) (local.get $n)))
        (local.set $f (i32.load (i32.add (local.get $freq) (i32.shl (local.get $s) (i32.const 2)))))
        (if (i32.gt_s (local.get $f) (i32.const 0))
          (then
            (i32.store (i32.add (local.get $symbols) (i32.shl (local.get $used) (i32.const 2))) (local.get $s))
            (local.set $used (i32.add (local.get $used) (i32.const 1)))))
        (if (i32.gt_s (local.get $f) (local.get $largest)) (then (local.set $largest (local.get $f))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $usedLoop)))
    ;; stable radix sort by frequency, 8 bits a pass
    (block $radixDone
      (loop $radix
        (br_if $radixDone (i32.eqz (i32.shr_u (local.get $largest) (local.get $shift))))
        (memory.fill (local.get $buckets) (i32.const 0) (i32.const 1024))
        (local.set $i (i32.const 0))
        (block $histDone
          (loop $hist
            (br_if $histDone (i32.ge_u (local.get $i) (local.get $used)))
            (local.set $s (i32.load (i32.add (local.get $symbols) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $t (i32.add (local.get $buckets) (i32.shl (i32.and (i32.shr_u
              (i32.load (i32.add (local.get $freq) (i32.shl (local.get $s) (i32.const 2)))) (local.get $shift)) (i32.const 255)) (i32.const 2))))
            (i32.store (local.get $t) (i32.add (i32.load (local.get $t)) (i32.const 1)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $hist)))
        (local.set $i (i32.const 0))
        (local.set $start (i32.const 0))
        (block $prefixDone
          (loop $prefix
            (br_if $prefixDone (i32.ge_u (local.get $i) (i32.const 256)))
            (local.set $t (i32.add (local.get $buckets) (i32.shl (local.get $i) (i32.const 2))))
            (local.set $f (i32.load (local.get $t)))
            (i32.store (local.get $t) (local.get $start))
            (local.set $start (i32.add (local.get $start) (local.get $f)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $prefix)))
        (local.set $i (i32.const 0))
        (block $scatterDone
          (loop $scatter
            (br_if $scatterDone (i32.ge_u (local.get $i) (local.get $used)))
            (local.set $s (i32.load (i32.add (local.get $symbols) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $t (i32.add (local.get $buckets) (i32.shl (i32.and (i32.shr_u
              (i32.load (i32.add (local.get $freq) (i32.shl (local.get $s) (i32.const 2)))) (local.get $shift)) (i32.const 255)) (i32.const 2))))
            (i32.store (i32.add (local.get $spare) (i32.shl (i32.load (local.get $t)) (i32.const 2))) (local.get $s))
            (i32.store (local.get $t) (i32.add (i32.load (local.get $t)) (i32.const 1)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $scatter)))
        (local.set $t (local.get $symbols))
        (local.set $symbols (local.get $spare))
        (local.set $spare (local.get $t))
        (local.set $shift (i32.add (local.get $shift) (i32.const 8)))
        (br $radix)))
    (if (i32.eqz (local.get $used)) (then (return)))
    (if (i32.eq (local.get $used) (i32.const 1))
      (then
        (i32.store8 (i32.add (local.get $lengths) (i32.load (local.get $symbols))) (i32.const 1))
        (return)))
    ;; the two-queue Huffman tree: leaves by weight, then merged nodes in the order they are made
    (local.set $i (i32.const 0))
    (block $weightsDone
      (loop $weights
        (br_if $weightsDone (i32.ge_u (local.get $i) (local.get $used)))
        (i32.store (i32.add (local.get $weight) (i32.shl (local.get $i) (i32.const 2)))
          (i32.load (i32.add (local.get $freq) (i32.shl (i32.load (i32.add (local.get $symbols) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $weights)))
    (local.set $merged (local.get $used))
    (local.set $made (local.get $used))
    (block $treeDone
      (loop $tree
        (br_if $treeDone (i32.ge_u (local.get $made) (i32.sub (i32.shl (local.get $used) (i32.const 1)) (i32.const 1))))
        (if (i32.and (i32.lt_u (local.get $leaf) (local.get $used))
              (i32.or (i32.ge_u (local.get $merged) (local.get $made))
                (i32.le_s (i32.load (i32.add (local.get $weight) (i32.shl (local.get $leaf) (i32.const 2))))
                  (i32.load (i32.add (local.get $weight) (i32.shl (local.get $merged) (i32.const 2)))))))
          (then (local.set $first (local.get $leaf)) (local.set $leaf (i32.add (local.get $leaf) (i32.const 1))))
          (else (local.set $first (local.get $merged)) (local.set $merged (i32.add (local.get $merged) (i32.const 1)))))
        (if (i32.and (i32.lt_u (local.get $leaf) (local.get $used))
              (i32.or (i32.ge_u (local.get $merged) (local.get $made))
                (i32.le_s (i32.load (i32.add (local.get $weight) (i32.shl (local.get $leaf) (i32.const 2))))
                  (i32.load (i32.add (local.get $weight) (i32.shl (local.get $merged) (i32.const 2)))))))
          (then (local.set $second (local.get $leaf)) (local.set $leaf (i32.add (local.get $leaf) (i32.const 1))))
          (else (local.set $second (local.get $merged)) (local.set $merged (i32.add (local.get $merged) (i32.const 1)))))
        (i32.store (i32.add (local.get $weight) (i32.shl (local.get $made) (i32.const 2)))
          (i32.add (i32.load (i32.add (local.get $weight) (i32.shl (local.get $first) (i32.const 2))))
            (i32.load (i32.add (local.get $weight) (i32.shl (local.get $second) (i32.const 2))))))
        (i32.store (i32.add (local.get $parent) (i32.shl (local.get $first) (i32.const 2))) (local.get $made))
        (i32.store (i32.add (local.get $parent) (i32.shl (local.get $second) (i32.const 2))) (local.get $made))
        (local.set $made (i32.add (local.get $made) (i32.const 1)))
        (br $tree)))
    ;; depths from the root (a byte each, as the twin's Uint8Array)
    (i32.store8 (i32.add (local.get $depth) (i32.sub (i32.shl (local.get $used) (i32.const 1)) (i32.const 2))) (i32.const 0))
    (local.set $node (i32.sub (i32.shl (local.get $used) (i32.const 1)) (i32.const 3)))
    (block $depthDone
      (loop $depthLoop
        (br_if $depthDone (i32.lt_s (local.get $node) (i32.const 0)))
        (i32.store8 (i32.add (local.get $depth) (local.get $node))
          (i32.add (i32.load8_u (i32.add (local.get $depth)
            (i32.load (i32.add (local.get $parent) (i32.shl (local.get $node) (i32.const 2)))))) (i32.const 1)))
        (local.set $node (i32.sub (local.get $node) (i32.const 1)))
        (br $depthLoop)))
    ;; leaves per length, capped at the limit, and the Kraft sum brought back to 1
    (memory.fill (local.get $perLength) (i32.const 0) (i32.shl (i32.add (local.get $limit) (i32.const 1)) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $perDone
      (loop $per
        (br_if $perDone (i32.ge_u (local.get $i) (local.get $used)))
        (local.set $len (i32.load8_u (i32.add (local.get $depth) (local.get $i))))
        (if (i32.gt_u (local.get $len) (local.get $limit)) (then (local.set $len (local.get $limit))))
        (local.set $t (i32.add (local.get $perLength) (i32.shl (local.get $len) (i32.const 2))))
        (i32.store (local.get $t) (i32.add (i32.load (local.get $t)) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $per)))
    (local.set $len (i32.const 1))
    (block $kraftDone
      (loop $kraftLoop
        (br_if $kraftDone (i32.gt_u (local.get $len) (local.get $limit)))
        (local.set $kraft (i32.add (local.get $kraft)
          (i32.shl (i32.load (i32.add (local.get $perLength) (i32.shl (local.get $len) (i32.const 2))))
            (i32.sub (local.get $limit) (local.get $len)))))
        (local.set $len (i32.add (local.get $len) (i32.const 1)))
        (br $kraftLoop)))
    (block $fixDone
      (loop $fix
        (br_if $fixDone (i32.le_s (local.get $kraft) (i32.shl (i32.const 1) (local.get $limit))))
        (local.set $t (i32.add (local.get $perLength) (i32.shl (local.get $limit) (i32.const 2))))
        (i32.store (local.get $t) (i32.sub (i32.load (local.get $t)) (i32.const 1)))
        (local.set $len (i32.sub (local.get $limit) (i32.const 1)))
        (block $splitDone
          (loop $split
            (br_if $splitDone (i32.le_s (local.get $len) (i32.const 0)))
            (local.set $t (i32.add (local.get $perLength) (i32.shl (local.get $len) (i32.const 2))))
            (if (i32.gt_s (i32.load (local.get $t)) (i32.const 0))
              (then
                (i32.store (local.get $t) (i32.sub (i32.load (local.get $t)) (i32.const 1)))
                (i32.store offset=4 (local.get $t) (i32.add (i32.load offset=4 (local.get $t)) (i32.const 2)))
                (br $splitDone)))
            (local.set $len (i32.sub (local.get $len) (i32.const 1)))
            (br $split)))
        (local.set $kraft (i32.sub (local.get $kraft) (i32.const 1)))
        (br $fix)))
    ;; the longest codes to the least frequent symbols (first in sorted order)
    (local.set $len (local.get $limit))
    (block $assignDone
      (loop $assign
        (br_if $assignDone (i32.le_s (local.get $len) (i32.const 0)))
        (local.set $k (i32.load (i32.add (local.get $perLength) (i32.shl (local.get $len) (i32.const 2)))))
        (block $runDone
          (loop $run
            (br_if $runDone (i32.le_s (local.get $k) (i32.const 0)))
            (i32.store8 (i32.add (local.get $lengths)
              (i32.load (i32.add (local.get $symbols) (i32.shl (local.get $next) (i32.const 2))))) (local.get $len))
            (local.set $next (i32.add (local.get $next) (i32.const 1)))
            (local.set $k (i32.sub (local.get $k) (i32.const 1)))
            (br $run)))
        (local.set $len (i32.sub (local.get $len) (i32.const 1)))
        (br $assign))))

  ;; huffman-deflate.ts packedCodes: the canonical code of each of the $n lengths at $lengths as an i32 at
  ;; $codes, `code | length << 16` with the code bit-reversed (0 for an unused symbol); $scratch: 128 bytes.
  (func $packedCodes (param $lengths i32) (param $n i32) (param $codes i32) (param $scratch i32)
    (local $s i32) (local $len i32) (local $code i32) (local $reversed i32) (local $bit i32) (local $t i32)
    (memory.fill (local.get $scratch) (i32.const 0) (i32.const 128))
    (block $countDone
      (loop $countLoop
        (br_if $countDone (i32.ge_u (local.get $s) (local.get $n)))
        (local.set $t (i32.add (local.get $scratch) (i32.shl (i32.load8_u (i32.add (local.get $lengths) (local.get $s))) (i32.const 2))))
        (i32.store (local.get $t) (i32.add (i32.load (local.get $t)) (i32.const 1)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $countLoop)))
    (i32.store (local.get $scratch) (i32.const 0))
    ;; nextCode[length] (at $scratch + 64)
    (local.set $len (i32.const 1))
    (block $nextDone
      (loop $nextLoop
        (br_if $nextDone (i32.ge_u (local.get $len) (i32.const 16)))
        (local.set $code (i32.shl (i32.add (local.get $code)
          (i32.load (i32.add (local.get $scratch) (i32.shl (i32.sub (local.get $len) (i32.const 1)) (i32.const 2))))) (i32.const 1)))
        (i32.store offset=64 (i32.add (local.get $scratch) (i32.shl (local.get $len) (i32.const 2))) (local.get $code))
        (local.set $len (i32.add (local.get $len) (i32.const 1)))
        (br $nextLoop)))
    (local.set $s (i32.const 0))
    (block $codesDone
      (loop $codesLoop
        (br_if $codesDone (i32.ge_u (local.get $s) (local.get $n)))
        (local.set $len (i32.load8_u (i32.add (local.get $lengths) (local.get $s))))
        (local.set $reversed (i32.const 0))
        (if (local.get $len)
          (then
            (local.set $t (i32.add (local.get $scratch) (i32.shl (local.get $len) (i32.const 2))))
            (local.set $code (i32.load offset=64 (local.get $t)))
            (i32.store offset=64 (local.get $t) (i32.add (local.get $code) (i32.const 1)))
            (local.set $bit (i32.const 0))
            (block $reverseDone
              (loop $reverse
                (br_if $reverseDone (i32.ge_u (local.get $bit) (local.get $len)))
                (local.set $reversed (i32.or (i32.shl (local.get $reversed) (i32.const 1)) (i32.and (local.get $code) (i32.const 1))))
                (local.set $code (i32.shr_s (local.get $code) (i32.const 1)))
                (local.set $bit (i32.add (local.get $bit) (i32.const 1)))
                (br $reverse)))
            (local.set $reversed (i32.or (local.get $reversed) (i32.shl (local.get $len) (i32.const 16))))))
        (i32.store (i32.add (local.get $codes) (i32.shl (local.get $s) (i32.const 2))) (local.get $reversed))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $codesLoop))))

  ;; huffman-deflate.ts runLengthCode: the $n code lengths at $lengths as code-length symbols (bytes at
  ;; $symbols, their repeat counts, biased, at $extras): zero runs as 17 (3-10) or 18 (11-138), other runs as
  ;; the length then 16 (3-6 more), the rest one by one. Returns how many symbols.
;;#define zEmit(symbol, extra) (i32.store8 (i32.add (local.get $symbols) (local.get $count)) symbol) (i32.store8 (i32.add (local.get $extras) (local.get $count)) extra) (local.set $count (i32.add (local.get $count) (i32.const 1)))
  (func $runLengths (param $lengths i32) (param $n i32) (param $symbols i32) (param $extras i32) (result i32)
    (local $i i32) (local $count i32) (local $length i32) (local $run i32) (local $take i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $length (i32.load8_u (i32.add (local.get $lengths) (local.get $i))))
        (local.set $run (i32.const 1))
        (block $runDone
          (loop $runLoop
            (br_if $runDone (i32.ge_u (i32.add (local.get $i) (local.get $run)) (local.get $n)))
            (br_if $runDone (i32.ne (i32.load8_u (i32.add (local.get $lengths) (i32.add (local.get $i) (local.get $run)))) (local.get $length)))
            (local.set $run (i32.add (local.get $run) (i32.const 1)))
            (br $runLoop)))
        (local.set $i (i32.add (local.get $i) (local.get $run)))
        (if (i32.eqz (local.get $length))
          (then
            (block $longDone
              (loop $long
                (br_if $longDone (i32.lt_s (local.get $run) (i32.const 11)))
                (local.set $take (select (i32.const 138) (local.get $run) (i32.gt_s (local.get $run) (i32.const 138))))
                #zEmit((i32.const 18), (i32.sub (local.get $take) (i32.const 11)))
                (local.set $run (i32.sub (local.get $run) (local.get $take)))
                (br $long)))
            (if (i32.ge_s (local.get $run) (i32.const 3))
              (then
                #zEmit((i32.const 17), (i32.sub (local.get $run) (i32.const 3)))
                (local.set $run (i32.const 0)))))
          (else
            #zEmit((local.get $length), (i32.const 0))
            (local.set $run (i32.sub (local.get $run) (i32.const 1)))
            (block $repeatDone
              (loop $repeat
                (br_if $repeatDone (i32.lt_s (local.get $run) (i32.const 3)))
                (local.set $take (select (i32.const 6) (local.get $run) (i32.gt_s (local.get $run) (i32.const 6))))
                #zEmit((i32.const 16), (i32.sub (local.get $take) (i32.const 3)))
                (local.set $run (i32.sub (local.get $run) (local.get $take)))
                (br $repeat)))))
        (block $singlesDone
          (loop $singles
            (br_if $singlesDone (i32.le_s (local.get $run) (i32.const 0)))
            #zEmit((local.get $length), (i32.const 0))
            (local.set $run (i32.sub (local.get $run) (i32.const 1)))
            (br $singles)))
        (br $next)))
    (local.get $count))

  ;; ---- the baseline JPEG writer (src/codec/jpeg-encode-simd.ts; TypeScript twin: jpeg-encode.ts) ----
  ;; Integer kernels, each computing exactly its twin's integer expressions (docs/jpeg-writer.md): the
  ;; planes of one MCU row (jpegPlanes), then its blocks transformed, quantised and Huffman-coded
  ;; (jpegBlocks). Planes hold i32 centred samples. The bit writer's state lives in the globals below between
  ;; calls: jpegStart sets it, jpegFinish pads the last byte and returns the end of the bytes written.
  (global $jOut (mut i32) (i32.const 0))
  (global $jBits (mut i64) (i64.const 0))
  (global $jCount (mut i32) (i32.const 0))
  (global $jDcY (mut i32) (i32.const 0))
  (global $jDcCb (mut i32) (i32.const 0))
  (global $jDcCr (mut i32) (i32.const 0))

;; 4 RGB pixels' channel c (byte offset 0, 1 or 2 in each 3-byte pixel) of the v128 v as i32x4 (z: a zero v128)
;;#define jR(v, z) (i8x16.shuffle 0 16 16 16 3 16 16 16 6 16 16 16 9 16 16 16 v z)
;;#define jG(v, z) (i8x16.shuffle 1 16 16 16 4 16 16 16 7 16 16 16 10 16 16 16 v z)
;;#define jB(v, z) (i8x16.shuffle 2 16 16 16 5 16 16 16 8 16 16 16 11 16 16 16 v z)
;;#define jI4(k) (v128.const i32x4 k k k k)
;; i32 lanes of a and b interleaved: a0 b0 a1 b1 / a2 b2 a3 b3; a's then b's low / high halves
;;#define jZipLo(a, b) (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 a b)
;;#define jZipHi(a, b) (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 a b)
;;#define jCatLo(a, b) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 a b)
;;#define jCatHi(a, b) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 a b)
;; transposes the 4x4 i32 matrix in locals a b c d (rows) in place (scratch: $u0 $u1 $u2 $u3)
;;#define jT4(a, b, c, d) (local.set $u0 #jZipLo((local.get a), (local.get b))) (local.set $u1 #jZipHi((local.get a), (local.get b))) (local.set $u2 #jZipLo((local.get c), (local.get d))) (local.set $u3 #jZipHi((local.get c), (local.get d))) (local.set a #jCatLo((local.get $u0), (local.get $u2))) (local.set b #jCatHi((local.get $u0), (local.get $u2))) (local.set c #jCatLo((local.get $u1), (local.get $u3))) (local.set d #jCatHi((local.get $u1), (local.get $u3)))
;; x * k + y for i32x4 x and constant k
;;#define jMul(x, k) (i32x4.mul x #jI4(k))
;; one 1-D pass of jpeg-fdct.ts forwardDct on the 8 values in locals d0..d7 (each i32x4: 4 independent lines),
;; in place; even0(x) computes outputs 0 and 4 from their sums, sh and rnd descale the others
;; (scratch: $t0..$t7 $t10..$t13 $e $z1..$z5)
;;#define jDct(d0, d1, d2, d3, d4, d5, d6, d7, evenShift, evenRound, sh, rnd) (local.set $t0 (i32x4.add (local.get d0) (local.get d7))) (local.set $t7 (i32x4.sub (local.get d0) (local.get d7))) (local.set $t1 (i32x4.add (local.get d1) (local.get d6))) (local.set $t6 (i32x4.sub (local.get d1) (local.get d6))) (local.set $t2 (i32x4.add (local.get d2) (local.get d5))) (local.set $t5 (i32x4.sub (local.get d2) (local.get d5))) (local.set $t3 (i32x4.add (local.get d3) (local.get d4))) (local.set $t4 (i32x4.sub (local.get d3) (local.get d4))) (local.set $t10 (i32x4.add (local.get $t0) (local.get $t3))) (local.set $t13 (i32x4.sub (local.get $t0) (local.get $t3))) (local.set $t11 (i32x4.add (local.get $t1) (local.get $t2))) (local.set $t12 (i32x4.sub (local.get $t1) (local.get $t2))) (local.set d0 (evenShift (i32x4.add (i32x4.add (local.get $t10) (local.get $t11)) #jI4(evenRound)) (i32.const 2))) (local.set d4 (evenShift (i32x4.add (i32x4.sub (local.get $t10) (local.get $t11)) #jI4(evenRound)) (i32.const 2))) (local.set $e #jMul((i32x4.add (local.get $t12) (local.get $t13)), 4433)) (local.set d2 (i32x4.shr_s (i32x4.add (i32x4.add (local.get $e) #jMul((local.get $t13), 6270)) #jI4(rnd)) (i32.const sh))) (local.set d6 (i32x4.shr_s (i32x4.add (i32x4.sub (local.get $e) #jMul((local.get $t12), 15137)) #jI4(rnd)) (i32.const sh))) (local.set $z5 #jMul((i32x4.add (i32x4.add (local.get $t4) (local.get $t6)) (i32x4.add (local.get $t5) (local.get $t7))), 9633)) (local.set $z1 #jMul((i32x4.add (local.get $t4) (local.get $t7)), -7373)) (local.set $z2 #jMul((i32x4.add (local.get $t5) (local.get $t6)), -20995)) (local.set $z3 (i32x4.add (local.get $z5) #jMul((i32x4.add (local.get $t4) (local.get $t6)), -16069))) (local.set $z4 (i32x4.add (local.get $z5) #jMul((i32x4.add (local.get $t5) (local.get $t7)), -3196))) (local.set d7 (i32x4.shr_s (i32x4.add (i32x4.add (i32x4.add #jMul((local.get $t4), 2446) (local.get $z1)) (local.get $z3)) #jI4(rnd)) (i32.const sh))) (local.set d5 (i32x4.shr_s (i32x4.add (i32x4.add (i32x4.add #jMul((local.get $t5), 16819) (local.get $z2)) (local.get $z4)) #jI4(rnd)) (i32.const sh))) (local.set d3 (i32x4.shr_s (i32x4.add (i32x4.add (i32x4.add #jMul((local.get $t6), 25172) (local.get $z2)) (local.get $z3)) #jI4(rnd)) (i32.const sh))) (local.set d1 (i32x4.shr_s (i32x4.add (i32x4.add (i32x4.add #jMul((local.get $t7), 12299) (local.get $z1)) (local.get $z4)) #jI4(rnd)) (i32.const sh)))
;; quantises the i32x4 v (natural indices 4k..4k+3 at byte offset off = 16k of the quantiser tables at $q:
;; correction, then reciprocal at +256, scale at +512) as jpeg-tables.ts describes: |v| + correction times the
;; reciprocal, >> 16, times the scale (2^(32 - shift)), >> 16, the sign put back (scratch: $s)
;;#define jQuant(v, off) (local.set $s (i32x4.shr_s v (i32.const 31))) (i32x4.sub (v128.xor (i32x4.shr_u (i32x4.mul (i32x4.shr_u (i32x4.mul (i32x4.add (i32x4.abs v) (v128.load offset=off (local.get $q))) (v128.load offset=off (i32.add (local.get $q) (i32.const 256)))) (i32.const 16)) (v128.load offset=off (i32.add (local.get $q) (i32.const 512)))) (i32.const 16)) (local.get $s)) (local.get $s))

  ;; Pixel rows $top..$top+15 of the RGB image at $src ($width x $height, rows past the last repeat it; 16 bytes
  ;; of padding after the image) into the centred luma plane at $luma (16 rows of $planeWidth i32) and the
  ;; chroma planes at $cb and $cr (8 rows of $planeWidth / 2 i32): values past the right edge repeat the row's
  ;; last, chroma is the 2x2 average with biases 1, 2, 1, 2, ... of full-resolution rows kept at $rows (4 rows
  ;; of $planeWidth i32: Cb of the pair, then Cr), and chroma rows past $chromaRows repeat the one before.
  (func (export "jpegPlanes")
    (param $src i32) (param $width i32) (param $height i32) (param $top i32) (param $planeWidth i32)
    (param $chromaRows i32) (param $luma i32) (param $cb i32) (param $cr i32) (param $rows i32)
    (local $r i32) (local $x i32) (local $p i32) (local $l i32) (local $b i32) (local $c i32) (local $vEnd i32)
    (local $lastY i32) (local $lastB i32) (local $lastC i32) (local $R i32) (local $G i32) (local $B i32)
    (local $half i32) (local $chromaWidth i32) (local $o i32) (local $rowBytes i32)
    (local $v v128) (local $vr v128) (local $vg v128) (local $vb v128) (local $z v128)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128)
    (local.set $half (i32.shl (local.get $planeWidth) (i32.const 2)))
    (local.set $chromaWidth (i32.shr_u (local.get $planeWidth) (i32.const 1)))
    (local.set $rowBytes (i32.mul (local.get $width) (i32.const 3)))
    (local.set $vEnd (i32.and (local.get $width) (i32.const -4)))
    (block $rowsDone
      (loop $rowsLoop
        (br_if $rowsDone (i32.ge_u (local.get $r) (i32.const 16)))
        (local.set $p (i32.add (local.get $src) (i32.mul (local.get $rowBytes)
          (select (i32.add (local.get $top) (local.get $r)) (i32.sub (local.get $height) (i32.const 1))
            (i32.lt_u (i32.add (local.get $top) (local.get $r)) (local.get $height))))))
        (local.set $l (i32.add (local.get $luma) (i32.mul (local.get $r) (local.get $half))))
        (local.set $b (i32.add (local.get $rows) (i32.mul (i32.and (local.get $r) (i32.const 1)) (local.get $half))))
        (local.set $c (i32.add (local.get $b) (i32.shl (local.get $half) (i32.const 1))))
        (local.set $x (i32.const 0))
        (block $vDone
          (loop $vLoop
            (br_if $vDone (i32.ge_u (local.get $x) (local.get $vEnd)))
            ;; 4 pixels' Y - 128, Cb and Cr: the sums of the scalar loop below (R, G, B times their weights, plus
            ;; the rounding constant, >> 16), with pairs of products by i32x4.dot_i16x8_s (one instruction on
            ;; x86-64, where an i32x4.mul is two): 38470 G = 5702 G + (G << 15), 32768 X = X << 15, and Y's
            ;; rounding 32768 as 2 * 16384 (every factor fits an i16; every sum stays far inside an i32)
            (local.set $v (v128.load (local.get $p)))
            (local.set $vr (i8x16.shuffle 0 16 1 16 3 16 4 16 6 16 7 16 9 16 10 16 (local.get $v) (local.get $z)))
            (local.set $vg (i8x16.shuffle 1 16 2 16 4 16 5 16 7 16 8 16 10 16 11 16 (local.get $v) (local.get $z)))
            (local.set $vb (v128.or (i8x16.shuffle 2 16 16 16 5 16 16 16 8 16 16 16 11 16 16 16 (local.get $v) (local.get $z))
              (v128.const i16x8 0 2 0 2 0 2 0 2)))
            (local.set $a0 (i32x4.shl #jG((local.get $v), (local.get $z)) (i32.const 15)))
            (v128.store (local.get $l)
              (i32x4.sub (i32x4.shr_s (i32x4.add (i32x4.add
                (i32x4.dot_i16x8_s (local.get $vr) (v128.const i16x8 19595 5702 19595 5702 19595 5702 19595 5702))
                (i32x4.dot_i16x8_s (local.get $vb) (v128.const i16x8 7471 16384 7471 16384 7471 16384 7471 16384)))
                (local.get $a0)) (i32.const 16)) #jI4(128)))
            (v128.store (local.get $b)
              (i32x4.shr_s (i32x4.add (i32x4.add
                (i32x4.dot_i16x8_s (local.get $vr) (v128.const i16x8 -11059 -21709 -11059 -21709 -11059 -21709 -11059 -21709))
                (i32x4.shl #jB((local.get $v), (local.get $z)) (i32.const 15)))
                #jI4(8421375)) (i32.const 16)))
            (v128.store (local.get $c)
              (i32x4.shr_s (i32x4.add (i32x4.add
                (i32x4.dot_i16x8_s (local.get $vg) (v128.const i16x8 -27439 -5329 -27439 -5329 -27439 -5329 -27439 -5329))
                (i32x4.shl #jR((local.get $v), (local.get $z)) (i32.const 15)))
                #jI4(8421375)) (i32.const 16)))
            (local.set $p (i32.add (local.get $p) (i32.const 12)))
            (local.set $l (i32.add (local.get $l) (i32.const 16)))
            (local.set $b (i32.add (local.get $b) (i32.const 16)))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (br $vLoop)))
        (block $sDone
          (loop $sLoop
            (br_if $sDone (i32.ge_u (local.get $x) (local.get $planeWidth)))
            (if (i32.lt_u (local.get $x) (local.get $width))
              (then
                (local.set $R (i32.load8_u offset=0 (local.get $p)))
                (local.set $G (i32.load8_u offset=1 (local.get $p)))
                (local.set $B (i32.load8_u offset=2 (local.get $p)))
                (local.set $p (i32.add (local.get $p) (i32.const 3)))
                (local.set $lastY (i32.sub (i32.shr_s (i32.add (i32.add (i32.add
                  (i32.mul (local.get $R) (i32.const 19595)) (i32.mul (local.get $G) (i32.const 38470)))
                  (i32.mul (local.get $B) (i32.const 7471))) (i32.const 32768)) (i32.const 16)) (i32.const 128)))
                (local.set $lastB (i32.shr_s (i32.add (i32.add (i32.add
                  (i32.mul (local.get $R) (i32.const -11059)) (i32.mul (local.get $G) (i32.const -21709)))
                  (i32.mul (local.get $B) (i32.const 32768))) (i32.const 8421375)) (i32.const 16)))
                (local.set $lastC (i32.shr_s (i32.add (i32.add (i32.add
                  (i32.mul (local.get $R) (i32.const 32768)) (i32.mul (local.get $G) (i32.const -27439)))
                  (i32.mul (local.get $B) (i32.const -5329))) (i32.const 8421375)) (i32.const 16))))
              (else
                (if (i32.eq (local.get $x) (local.get $width))
                  (then
                    (local.set $lastY (i32.load (i32.sub (local.get $l) (i32.const 4))))
                    (local.set $lastB (i32.load (i32.sub (local.get $b) (i32.const 4))))
                    (local.set $lastC (i32.load (i32.sub (local.get $c) (i32.const 4))))))))
            (i32.store (local.get $l) (local.get $lastY))
            (i32.store (local.get $b) (local.get $lastB))
            (i32.store (local.get $c) (local.get $lastC))
            (local.set $l (i32.add (local.get $l) (i32.const 4)))
            (local.set $b (i32.add (local.get $b) (i32.const 4)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $sLoop)))
        (if (i32.and (local.get $r) (i32.const 1))
          (then
            (local.set $o (i32.mul (i32.shr_u (local.get $r) (i32.const 1)) (i32.shl (local.get $chromaWidth) (i32.const 2))))
            (if (i32.lt_u (i32.add (i32.shr_u (local.get $top) (i32.const 1)) (i32.shr_u (local.get $r) (i32.const 1)))
                  (local.get $chromaRows))
              (then
                ;; Cb rows at $rows, Cr rows 2 rows further: 8 values of each row give 4 averages
                (local.set $b (local.get $rows))
                (local.set $x (i32.const 0))
                (block $dDone
                  (loop $dLoop
                    (br_if $dDone (i32.ge_u (local.get $x) (local.get $planeWidth)))
                    #jDown($b, $cb)
                    (local.set $b (i32.add (local.get $b) (i32.shl (local.get $half) (i32.const 1))))
                    #jDown($b, $cr)
                    (local.set $b (i32.sub (i32.add (local.get $b) (i32.const 32)) (i32.shl (local.get $half) (i32.const 1))))
                    (local.set $o (i32.add (local.get $o) (i32.const 16)))
                    (local.set $x (i32.add (local.get $x) (i32.const 8)))
                    (br $dLoop))))
              (else
                (memory.copy (i32.add (local.get $cb) (local.get $o))
                  (i32.sub (i32.add (local.get $cb) (local.get $o)) (i32.shl (local.get $chromaWidth) (i32.const 2)))
                  (i32.shl (local.get $chromaWidth) (i32.const 2)))
                (memory.copy (i32.add (local.get $cr) (local.get $o))
                  (i32.sub (i32.add (local.get $cr) (local.get $o)) (i32.shl (local.get $chromaWidth) (i32.const 2)))
                  (i32.shl (local.get $chromaWidth) (i32.const 2)))))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowsLoop))))

;; loads the next block row at $src (columns 0-3 into l, 4-7 into h) and steps $src a row down
;;#define jLoadRow(l, h) (local.set l (v128.load (local.get $src))) (local.set h (v128.load offset=16 (local.get $src))) (local.set $src (i32.add (local.get $src) (local.get $stride)))
;; quantises row l | h (quantiser byte offsets ql, qh) into 8 i16 at byte offset at of $coef, and sets zm to
;; the row's lanes that are zero (all ones) or not (0)
;;#define jStoreRow(at, l, h, ql, qh, zm) (local.set $u0 (i16x8.narrow_i32x4_s #jQuant((local.get l), ql) #jQuant((local.get h), qh))) (v128.store offset=at (local.get $coef) (local.get $u0)) (local.set zm (i16x8.eq (local.get $u0) (local.get $zero)))
;; the 16 zero flags of rows a and b (natural order, row a in bits 0-7) as an i64
;;#define jZeroBits(a, b) (i64.extend_i32_u (i8x16.bitmask (i8x16.narrow_i16x8_s (local.get a) (local.get b))))
;; row r's byte of the natural-order mask $m (shift = 8 r) as its coefficients' bits in zig-zag order (the table
;; at $bits + off, off = 2048 r)
;;#define jZigBits(shift, off) (i64.load offset=off (i32.add (local.get $bits) (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $m) (i64.const shift))) (i32.const 255)) (i32.const 3))))
;; the i32 lanes 0 and 2 / 1 and 3 of a, then of b
;;#define jEven(a, b) (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 a b)
;;#define jOdd(a, b) (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 a b)
;; 4 chroma values from the 8 full-resolution values at local pp and the 8 a row ($half bytes) below, stored at
;; local qq + $o
;;#define jDown(pp, qq) (local.set $a0 (v128.load (local.get pp))) (local.set $a1 (v128.load offset=16 (local.get pp))) (local.set $b0 (v128.load (i32.add (local.get pp) (local.get $half)))) (local.set $b1 (v128.load offset=16 (i32.add (local.get pp) (local.get $half)))) (v128.store (i32.add (local.get qq) (local.get $o)) (i32x4.sub (i32x4.shr_s (i32x4.add (i32x4.add (i32x4.add #jEven((local.get $a0), (local.get $a1)) #jOdd((local.get $a0), (local.get $a1))) (i32x4.add #jEven((local.get $b0), (local.get $b1)) #jOdd((local.get $b0), (local.get $b1)))) (v128.const i32x4 1 2 1 2)) (i32.const 2)) #jI4(128)))

  ;; The 8x8 block of i32 samples at $src (rows $stride bytes apart): forward DCT (rows, then columns, 4 lines
  ;; at a time between 4x4 transposes), then quantised with the quantiser at $q, as 64 i16 at $coef in natural
  ;; order. Returns its non-zero coefficients as bits in zig-zag order (bit k: zig-zag index k), through the
  ;; tables at $bits (8 rows x 256 row masks x an i64: jpeg-encode-simd.ts).
  (func $jBlock (param $src i32) (param $stride i32) (param $q i32) (param $coef i32) (param $bits i32) (result i64)
    (local $l0 v128) (local $l1 v128) (local $l2 v128) (local $l3 v128) (local $l4 v128) (local $l5 v128)
    (local $l6 v128) (local $l7 v128) (local $h0 v128) (local $h1 v128) (local $h2 v128) (local $h3 v128)
    (local $h4 v128) (local $h5 v128) (local $h6 v128) (local $h7 v128)
    (local $u0 v128) (local $u1 v128) (local $u2 v128) (local $u3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128) (local $t4 v128) (local $t5 v128)
    (local $t6 v128) (local $t7 v128) (local $t10 v128) (local $t11 v128) (local $t12 v128) (local $t13 v128)
    (local $e v128) (local $z1 v128) (local $z2 v128) (local $z3 v128) (local $z4 v128) (local $z5 v128)
    (local $s v128) (local $zero v128) (local $m i64)
    #jLoadRow($l0, $h0)
    #jLoadRow($l1, $h1)
    #jLoadRow($l2, $h2)
    #jLoadRow($l3, $h3)
    #jLoadRow($l4, $h4)
    #jLoadRow($l5, $h5)
    #jLoadRow($l6, $h6)
    #jLoadRow($l7, $h7)
    ;; to columns: $lc / $hc hold column c (c < 4 / c - 4) of rows 0-3 in l0-l3 / h0-h3 and of rows 4-7 in l4-l7 / h4-h7
    #jT4($l0, $l1, $l2, $l3)
    #jT4($l4, $l5, $l6, $l7)
    #jT4($h0, $h1, $h2, $h3)
    #jT4($h4, $h5, $h6, $h7)
    #jDct($l0, $l1, $l2, $l3, $h0, $h1, $h2, $h3, i32x4.shl, 0, 11, 1024)
    #jDct($l4, $l5, $l6, $l7, $h4, $h5, $h6, $h7, i32x4.shl, 0, 11, 1024)
    ;; back to rows: $lr / $hr hold columns 0-3 / 4-7 of row r
    #jT4($l0, $l1, $l2, $l3)
    #jT4($h0, $h1, $h2, $h3)
    #jT4($l4, $l5, $l6, $l7)
    #jT4($h4, $h5, $h6, $h7)
    #jDct($l0, $l1, $l2, $l3, $l4, $l5, $l6, $l7, i32x4.shr_s, 2, 15, 16384)
    #jDct($h0, $h1, $h2, $h3, $h4, $h5, $h6, $h7, i32x4.shr_s, 2, 15, 16384)
    #jStoreRow(0, $l0, $h0, 0, 16, $t0)
    #jStoreRow(16, $l1, $h1, 32, 48, $t1)
    #jStoreRow(32, $l2, $h2, 64, 80, $t2)
    #jStoreRow(48, $l3, $h3, 96, 112, $t3)
    #jStoreRow(64, $l4, $h4, 128, 144, $t4)
    #jStoreRow(80, $l5, $h5, 160, 176, $t5)
    #jStoreRow(96, $l6, $h6, 192, 208, $t6)
    #jStoreRow(112, $l7, $h7, 224, 240, $t7)
    ;; the non-zero coefficients in natural order (bit 8r + c: row r, column c), then in zig-zag order
    (local.set $m (i64.xor (i64.const -1)
      (i64.or
        (i64.or #jZeroBits($t0, $t1) (i64.shl #jZeroBits($t2, $t3) (i64.const 16)))
        (i64.or (i64.shl #jZeroBits($t4, $t5) (i64.const 32)) (i64.shl #jZeroBits($t6, $t7) (i64.const 48))))))
    (i64.or
      (i64.or (i64.or #jZigBits(0, 0) #jZigBits(8, 2048)) (i64.or #jZigBits(16, 4096) #jZigBits(24, 6144)))
      (i64.or (i64.or #jZigBits(32, 8192) #jZigBits(40, 10240)) (i64.or #jZigBits(48, 12288) #jZigBits(56, 14336)))))

  ;; Writes out the whole bytes of the bit buffer, each 0xFF byte followed by a 0.
  (func $jDrain
    (local $byte i32) (local $out i32) (local $count i32)
    (local.set $out (global.get $jOut))
    (local.set $count (global.get $jCount))
    (block $done
      (loop $next
        (br_if $done (i32.lt_u (local.get $count) (i32.const 8)))
        (local.set $count (i32.sub (local.get $count) (i32.const 8)))
        (local.set $byte (i32.and (i32.wrap_i64 (i64.shr_u (global.get $jBits) (i64.extend_i32_u (local.get $count))))
          (i32.const 255)))
        (i32.store8 (local.get $out) (local.get $byte))
        (local.set $out (i32.add (local.get $out) (i32.const 1)))
        (if (i32.eq (local.get $byte) (i32.const 255))
          (then
            (i32.store8 (local.get $out) (i32.const 0))
            (local.set $out (i32.add (local.get $out) (i32.const 1)))))
        (br $next)))
    (global.set $jOut (local.get $out))
    (global.set $jCount (local.get $count)))

;; sends the symbol (runBits | size of val) from the code table at the address tbl, then val's size low bits
;; (val - 1 for a negative val) (scratch: $v $size $code $len)
;;#define jValue(val, tbl, runBits) (local.set $v val) (local.set $size (i32.shr_s (local.get $v) (i32.const 31))) (local.set $size (i32.sub (i32.const 32) (i32.clz (i32.sub (i32.xor (local.get $v) (local.get $size)) (local.get $size))))) (local.set $code (i32.load (i32.add tbl (i32.shl (i32.or runBits (local.get $size)) (i32.const 2))))) (local.set $len (i32.add (i32.shr_u (local.get $code) (i32.const 16)) (local.get $size))) (global.set $jBits (i64.or (i64.shl (global.get $jBits) (i64.extend_i32_u (local.get $len))) (i64.extend_i32_u (i32.or (i32.shl (i32.and (local.get $code) (i32.const 65535)) (local.get $size)) (i32.and (i32.add (local.get $v) (i32.shr_s (local.get $v) (i32.const 31))) (i32.sub (i32.shl (i32.const 1) (local.get $size)) (i32.const 1))))))) (global.set $jCount (i32.add (global.get $jCount) (local.get $len))) (if (i32.ge_u (global.get $jCount) (i32.const 32)) (then (call $jDrain)))

  ;; Codes the quantised block at $coef: the DC as its difference from $prev (DC table at $dcT), then the AC
  ;; in zig-zag order ($zz: each coefficient's byte offset), visiting only the non-zero ones ($mask, from
  ;; $jBlock: bit k set for a non-zero coefficient at zig-zag index k), as (zero run, size) symbols, ZRL for each
  ;; 16 zeros before one, and EOB unless the last was the 63rd (AC table at $acT). Returns the block's DC.
  (func $jCode (param $coef i32) (param $mask i64) (param $prev i32) (param $dcT i32) (param $acT i32)
    (param $zz i32) (result i32)
    (local $dc i32) (local $k i32) (local $before i32) (local $run i32) (local $x i32)
    (local $v i32) (local $size i32) (local $code i32) (local $len i32)
    (local.set $dc (i32.load16_s (local.get $coef)))
    #jValue((i32.sub (local.get $dc) (local.get $prev)), (local.get $dcT), (i32.const 0))
    (local.set $mask (i64.and (local.get $mask) (i64.const -2)))
    (block $done
      (loop $next
        (br_if $done (i64.eqz (local.get $mask)))
        (local.set $k (i32.wrap_i64 (i64.ctz (local.get $mask))))
        (local.set $mask (i64.and (local.get $mask) (i64.sub (local.get $mask) (i64.const 1))))
        (local.set $run (i32.sub (i32.sub (local.get $k) (local.get $before)) (i32.const 1)))
        (local.set $before (local.get $k))
        (local.set $x (i32.load16_s (i32.add (local.get $coef) (i32.load8_u (i32.add (local.get $zz) (local.get $k))))))
        (block $runsDone
          (loop $runs
            (br_if $runsDone (i32.lt_u (local.get $run) (i32.const 16)))
            #jValue((i32.const 0), (local.get $acT), (i32.const 0xf0))
            (local.set $run (i32.sub (local.get $run) (i32.const 16)))
            (br $runs)))
        #jValue((local.get $x), (local.get $acT), (i32.shl (local.get $run) (i32.const 4)))
        (br $next)))
    (if (i32.lt_u (local.get $before) (i32.const 63)) (then #jValue((i32.const 0), (local.get $acT), (i32.const 0))))
    (local.get $dc))

  ;; Starts a scan: bytes go to $out, the bit buffer is empty and the DC predictions 0.
  (func (export "jpegStart") (param $out i32)
    (global.set $jOut (local.get $out))
    (global.set $jBits (i64.const 0))
    (global.set $jCount (i32.const 0))
    (global.set $jDcY (i32.const 0))
    (global.set $jDcCb (i32.const 0))
    (global.set $jDcCr (i32.const 0)))

  ;; Pads the last byte with 1 bits, writes it, and returns the end of the bytes written.
  (func (export "jpegFinish") (result i32)
    (local $pad i32)
    (local.set $pad (i32.and (i32.sub (i32.const 8) (i32.and (global.get $jCount) (i32.const 7))) (i32.const 7)))
    (global.set $jBits (i64.or (i64.shl (global.get $jBits) (i64.extend_i32_u (local.get $pad)))
      (i64.extend_i32_u (i32.sub (i32.shl (i32.const 1) (local.get $pad)) (i32.const 1)))))
    (global.set $jCount (i32.add (global.get $jCount) (local.get $pad)))
    (call $jDrain)
    (global.get $jOut))

  ;; The $mcuColumns MCUs of the planes jpegPlanes made (luma rows of $planeWidth i32): per MCU 4 luma blocks
  ;; (2x2), then Cb, then Cr. Luma blocks at or past column $lumaColumns, or in the lower row when $lowerReal is
  ;; 0, are past the image: not transformed, their DC the previous block's (the upper right one's, for the
  ;; lower row), their AC zero. $tables: the luma quantiser (768 bytes), the chroma one, the DC luma, AC luma, DC
  ;; chroma, AC chroma codes (16, 256, 16, 256 i32) and the zig-zag byte offsets (64 bytes); $coef: 128 bytes.
  (func (export "jpegBlocks")
    (param $luma i32) (param $cb i32) (param $cr i32) (param $planeWidth i32) (param $mcuColumns i32)
    (param $lumaColumns i32) (param $lowerReal i32) (param $tables i32) (param $coef i32)
    (local $m i32) (local $k i32) (local $column i32) (local $dc i32) (local $dc1 i32) (local $stride i32)
    (local $v i32) (local $size i32) (local $code i32) (local $len i32) (local $zz i32) (local $bits i32)
    (local.set $stride (i32.shl (local.get $planeWidth) (i32.const 2)))
    (local.set $zz (i32.add (local.get $tables) (i32.const 3712)))
    (local.set $bits (i32.add (local.get $tables) (i32.const 3776)))
    (block $mcusDone
      (loop $mcus
        (br_if $mcusDone (i32.ge_u (local.get $m) (local.get $mcuColumns)))
        (local.set $k (i32.const 0))
        (block $lumaDone
          (loop $lumaBlocks
            (br_if $lumaDone (i32.ge_u (local.get $k) (i32.const 4)))
            (local.set $column (i32.add (i32.shl (local.get $m) (i32.const 1)) (i32.and (local.get $k) (i32.const 1))))
            (if (i32.and (i32.ge_u (local.get $k) (i32.const 2)) (i32.eqz (local.get $lowerReal)))
              (then (local.set $dc (local.get $dc1)))
              (else
                (if (i32.lt_u (local.get $column) (local.get $lumaColumns))
                  (then
                    (local.set $dc (call $jCode (local.get $coef)
                      (call $jBlock
                        (i32.add (i32.add (local.get $luma) (i32.shl (local.get $column) (i32.const 5)))
                          (i32.mul (i32.shr_u (local.get $k) (i32.const 1)) (i32.shl (local.get $stride) (i32.const 3))))
                        (local.get $stride) (local.get $tables) (local.get $coef) (local.get $bits))
                      (global.get $jDcY)
                      (i32.add (local.get $tables) (i32.const 1536)) (i32.add (local.get $tables) (i32.const 1600))
                      (local.get $zz)))
                    (global.set $jDcY (local.get $dc))
                    (if (i32.eq (local.get $k) (i32.const 1)) (then (local.set $dc1 (local.get $dc))))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br $lumaBlocks)))))
            ;; a block past the image: its DC ($dc: the previous block's, or the upper right one's) and EOB
            #jValue((i32.sub (local.get $dc) (global.get $jDcY)), (i32.add (local.get $tables) (i32.const 1536)), (i32.const 0))
            #jValue((i32.const 0), (i32.add (local.get $tables) (i32.const 1600)), (i32.const 0))
            (global.set $jDcY (local.get $dc))
            (if (i32.eq (local.get $k) (i32.const 1)) (then (local.set $dc1 (local.get $dc))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $lumaBlocks)))
        (global.set $jDcCb (call $jCode (local.get $coef)
          (call $jBlock (i32.add (local.get $cb) (i32.shl (local.get $m) (i32.const 5)))
            (i32.shr_u (local.get $stride) (i32.const 1)) (i32.add (local.get $tables) (i32.const 768)) (local.get $coef)
            (local.get $bits))
          (global.get $jDcCb)
          (i32.add (local.get $tables) (i32.const 2624)) (i32.add (local.get $tables) (i32.const 2688)) (local.get $zz)))
        (global.set $jDcCr (call $jCode (local.get $coef)
          (call $jBlock (i32.add (local.get $cr) (i32.shl (local.get $m) (i32.const 5)))
            (i32.shr_u (local.get $stride) (i32.const 1)) (i32.add (local.get $tables) (i32.const 768)) (local.get $coef)
            (local.get $bits))
          (global.get $jDcCr)
          (i32.add (local.get $tables) (i32.const 2624)) (i32.add (local.get $tables) (i32.const 2688)) (local.get $zz)))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $mcus))))

  ;; ---- the JPEG reader's Huffman decoding (jpeg-decode-simd.ts; TypeScript twin: jpeg-scan.ts) ----
  ;; jpeg-scan.ts decodeCoefficients, statement for statement, on the same 32-bit integers: the entropy-coded
  ;; data at $at..$end (the whole file ends at $end), the tables the caller laid out at $tables, per component c
  ;; at $tables + c * 3328: the DC table (+0), the AC table (+1536), the 64 i32 quantisation values in natural
  ;; order (+3072); a table is its `fast` u16[512] (+0), `maxCode` i32[18] (+1024), `valueOffset` i32[18]
  ;; (+1096) and `symbols` u8[256] (+1168); the zig-zag order u8[64] at $tables + 9984. Returns 1 with every
  ;; block's dequantised coefficients at $coef (64 i32 a block, scan order; zero on entry), or 0 where the twin
  ;; returns false (a bad code, a value out of range, data ending early, no EOI after the scan).
;; BitReader.fill when fewer than 16 bits are left: bytes into $bits until more than 24 are there (0xFF 0x00 is
;; 0xFF; a marker or the end of the file ends the data, and zeros follow, counted in $padding)
;;#define scanFill() (if (i32.lt_s (local.get $count) (i32.const 16)) (then (block $filled (loop $fill (br_if $filled (i32.gt_s (local.get $count) (i32.const 24))) (local.set $byte (i32.const 0)) (if (i32.eqz (local.get $ended)) (then (if (i32.ge_u (local.get $at) (local.get $end)) (then (local.set $ended (i32.const 1))) (else (local.set $byte (i32.load8_u (local.get $at))) (if (i32.eq (local.get $byte) (i32.const 255)) (then (if (i32.and (i32.lt_u (i32.add (local.get $at) (i32.const 1)) (local.get $end)) (i32.eqz (i32.load8_u offset=1 (local.get $at)))) (then (local.set $at (i32.add (local.get $at) (i32.const 2)))) (else (local.set $ended (i32.const 1)) (local.set $byte (i32.const 0))))) (else (local.set $at (i32.add (local.get $at) (i32.const 1))))))))) (if (local.get $ended) (then (local.set $padding (i32.add (local.get $padding) (i32.const 8))))) (local.set $bits (i32.or (i32.shl (local.get $bits) (i32.const 8)) (local.get $byte))) (local.set $count (i32.add (local.get $count) (i32.const 8))) (br $fill)))))
;; BitReader.symbol with the table at t, into $sym (-1 for a code the table lacks)
;;#define scanSymbol(t) #scanFill() (local.set $entry (i32.load16_u (i32.add t (i32.shl (i32.and (i32.shr_u (local.get $bits) (i32.sub (local.get $count) (i32.const 9))) (i32.const 511)) (i32.const 1))))) (if (local.get $entry) (then (local.set $count (i32.sub (local.get $count) (i32.shr_u (local.get $entry) (i32.const 8)))) (local.set $sym (i32.and (local.get $entry) (i32.const 255)))) (else (local.set $sym (i32.const -1)) (local.set $len (i32.const 10)) (block $found (loop $longer (br_if $found (i32.gt_s (local.get $len) (i32.const 16))) (local.set $code (i32.and (i32.shr_u (local.get $bits) (i32.sub (local.get $count) (local.get $len))) (i32.sub (i32.shl (i32.const 1) (local.get $len)) (i32.const 1)))) (if (i32.le_s (local.get $code) (i32.load offset=1024 (i32.add t (i32.shl (local.get $len) (i32.const 2))))) (then (local.set $count (i32.sub (local.get $count) (local.get $len))) (local.set $sym (i32.load8_u offset=1168 (i32.add t (i32.add (local.get $code) (i32.load offset=1096 (i32.add t (i32.shl (local.get $len) (i32.const 2)))))))) (br $found))) (local.set $len (i32.add (local.get $len) (i32.const 1))) (br $longer)))))
;; BitReader.value: the next $size bits (1..15) as a signed value (JPEG's EXTEND), into $val
;;#define scanValue() #scanFill() (local.set $count (i32.sub (local.get $count) (local.get $size))) (local.set $val (i32.and (i32.shr_u (local.get $bits) (local.get $count)) (i32.sub (i32.shl (i32.const 1) (local.get $size)) (i32.const 1)))) (if (i32.lt_s (local.get $val) (i32.shl (i32.const 1) (i32.sub (local.get $size) (i32.const 1)))) (then (local.set $val (i32.add (i32.sub (local.get $val) (i32.shl (i32.const 1) (local.get $size))) (i32.const 1)))))
;; a dequantised value outside -4096..4096 (MAX_COEFFICIENT) fails the scan
;;#define scanOutOfRange(v) (i32.gt_u (i32.add v (i32.const 4096)) (i32.const 8192))
  (func (export "jpegScan")
    (param $at i32) (param $end i32) (param $tables i32) (param $mcus i32) (param $factor i32) (param $coef i32)
    (result i32)
    (local $bits i32) (local $count i32) (local $padding i32) (local $ended i32) (local $byte i32)
    (local $entry i32) (local $sym i32) (local $len i32) (local $code i32) (local $size i32) (local $val i32)
    (local $mcu i32) (local $c i32) (local $b i32) (local $blocks i32) (local $table i32) (local $quant i32)
    (local $dc0 i32) (local $dc1 i32) (local $dc2 i32) (local $dc i32) (local $k i32) (local $natural i32)
    (local $block i32)
    (local.set $block (local.get $coef))
    (block $mcusDone
      (loop $mcuLoop
        (br_if $mcusDone (i32.ge_s (local.get $mcu) (local.get $mcus)))
        (local.set $c (i32.const 0))
        (block $componentsDone
          (loop $componentLoop
            (br_if $componentsDone (i32.ge_s (local.get $c) (i32.const 3)))
            (local.set $table (i32.add (local.get $tables) (i32.mul (local.get $c) (i32.const 3328))))
            (local.set $quant (i32.add (local.get $table) (i32.const 3072)))
            (local.set $blocks (select (i32.mul (local.get $factor) (local.get $factor)) (i32.const 1) (i32.eqz (local.get $c))))
            (local.set $b (i32.const 0))
            (block $blocksDone
              (loop $blockLoop
                (br_if $blocksDone (i32.ge_s (local.get $b) (local.get $blocks)))
                ;; decodeBlock: the DC difference, then the AC run/size codes up to EOB or the 63rd
                #scanSymbol((local.get $table))
                (if (i32.gt_u (local.get $sym) (i32.const 11)) (then (return (i32.const 0))))
                (local.set $dc (select (local.get $dc0) (select (local.get $dc1) (local.get $dc2) (i32.eq (local.get $c) (i32.const 1))) (i32.eqz (local.get $c))))
                (if (local.get $sym)
                  (then
                    (local.set $size (local.get $sym))
                    #scanValue()
                    (local.set $dc (i32.add (local.get $dc) (local.get $val)))))
                (if (i32.eqz (local.get $c)) (then (local.set $dc0 (local.get $dc)))
                  (else (if (i32.eq (local.get $c) (i32.const 1)) (then (local.set $dc1 (local.get $dc))) (else (local.set $dc2 (local.get $dc))))))
                (local.set $val (i32.mul (local.get $dc) (i32.load (local.get $quant))))
                (if #scanOutOfRange((local.get $val)) (then (return (i32.const 0))))
                (i32.store (local.get $block) (local.get $val))
                (local.set $k (i32.const 1))
                (block $acDone
                  (loop $acLoop
                    (br_if $acDone (i32.ge_s (local.get $k) (i32.const 64)))
                    #scanSymbol((i32.add (local.get $table) (i32.const 1536)))
                    (if (i32.lt_s (local.get $sym) (i32.const 0)) (then (return (i32.const 0))))
                    (local.set $size (i32.and (local.get $sym) (i32.const 15)))
                    (if (i32.eqz (local.get $size))
                      (then
                        ;; EOB ends the block; ZRL skips 16 zeros
                        (br_if $acDone (i32.ne (i32.shr_u (local.get $sym) (i32.const 4)) (i32.const 15)))
                        (local.set $k (i32.add (local.get $k) (i32.const 16)))
                        (br $acLoop)))
                    (local.set $k (i32.add (local.get $k) (i32.shr_u (local.get $sym) (i32.const 4))))
                    (if (i32.gt_s (local.get $k) (i32.const 63)) (then (return (i32.const 0))))
                    (local.set $natural (i32.shl (i32.load8_u offset=9984 (i32.add (local.get $tables) (local.get $k))) (i32.const 2)))
                    #scanValue()
                    (local.set $val (i32.mul (local.get $val) (i32.load (i32.add (local.get $quant) (local.get $natural)))))
                    (if #scanOutOfRange((local.get $val)) (then (return (i32.const 0))))
                    (i32.store (i32.add (local.get $block) (local.get $natural)) (local.get $val))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br $acLoop)))
                (local.set $block (i32.add (local.get $block) (i32.const 256)))
                (local.set $b (i32.add (local.get $b) (i32.const 1)))
                (br $blockLoop)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $componentLoop)))
        (local.set $mcu (i32.add (local.get $mcu) (i32.const 1)))
        (br $mcuLoop)))
    ;; endedCleanly (less than a byte of the data left, no padding used), then EOI where the data ended
    (local.set $count (i32.sub (local.get $count) (local.get $padding)))
    (if (i32.ge_u (local.get $count) (i32.const 8)) (then (return (i32.const 0))))
    (i32.and
      (i32.le_u (i32.add (local.get $at) (i32.const 2)) (local.get $end))
      (i32.eq (i32.load16_u (local.get $at)) (i32.const 0xd9ff))))

  ;; ---- the JPEG reader (src/codec/jpeg-decode-simd.ts; TypeScript twin: jpeg-decode.ts) ----
  ;; Integer kernels, each computing exactly its twin's integer expressions (docs/jpeg-reader.md).

;; one 1-D pass of jpeg-idct.ts inverseDct on the 8 values in locals d0..d7 (each i32x4: 4 independent lines),
;; in place, descaled by (x + rnd) >> sh (scratch: $t0..$t3 $t10..$t13 $e0..$e3 $z1..$z5)
;;#define jIdct(d0, d1, d2, d3, d4, d5, d6, d7, sh, rnd) (local.set $z1 #jMul((i32x4.add (local.get d2) (local.get d6)), 4433)) (local.set $e2 (i32x4.sub (local.get $z1) #jMul((local.get d6), 15137))) (local.set $e3 (i32x4.add (local.get $z1) #jMul((local.get d2), 6270))) (local.set $e0 (i32x4.shl (i32x4.add (local.get d0) (local.get d4)) (i32.const 13))) (local.set $e1 (i32x4.shl (i32x4.sub (local.get d0) (local.get d4)) (i32.const 13))) (local.set $t10 (i32x4.add (local.get $e0) (local.get $e3))) (local.set $t13 (i32x4.sub (local.get $e0) (local.get $e3))) (local.set $t11 (i32x4.add (local.get $e1) (local.get $e2))) (local.set $t12 (i32x4.sub (local.get $e1) (local.get $e2))) (local.set $z1 #jMul((i32x4.add (local.get d7) (local.get d1)), -7373)) (local.set $z2 #jMul((i32x4.add (local.get d5) (local.get d3)), -20995)) (local.set $z5 #jMul((i32x4.add (i32x4.add (local.get d7) (local.get d3)) (i32x4.add (local.get d5) (local.get d1))), 9633)) (local.set $z3 (i32x4.add (local.get $z5) #jMul((i32x4.add (local.get d7) (local.get d3)), -16069))) (local.set $z4 (i32x4.add (local.get $z5) #jMul((i32x4.add (local.get d5) (local.get d1)), -3196))) (local.set $t0 (i32x4.add (i32x4.add #jMul((local.get d7), 2446) (local.get $z1)) (local.get $z3))) (local.set $t1 (i32x4.add (i32x4.add #jMul((local.get d5), 16819) (local.get $z2)) (local.get $z4))) (local.set $t2 (i32x4.add (i32x4.add #jMul((local.get d3), 25172) (local.get $z2)) (local.get $z3))) (local.set $t3 (i32x4.add (i32x4.add #jMul((local.get d1), 12299) (local.get $z1)) (local.get $z4))) (local.set d0 (i32x4.shr_s (i32x4.add (i32x4.add (local.get $t10) (local.get $t3)) #jI4(rnd)) (i32.const sh))) (local.set d7 (i32x4.shr_s (i32x4.add (i32x4.sub (local.get $t10) (local.get $t3)) #jI4(rnd)) (i32.const sh))) (local.set d1 (i32x4.shr_s (i32x4.add (i32x4.add (local.get $t11) (local.get $t2)) #jI4(rnd)) (i32.const sh))) (local.set d6 (i32x4.shr_s (i32x4.add (i32x4.sub (local.get $t11) (local.get $t2)) #jI4(rnd)) (i32.const sh))) (local.set d2 (i32x4.shr_s (i32x4.add (i32x4.add (local.get $t12) (local.get $t1)) #jI4(rnd)) (i32.const sh))) (local.set d5 (i32x4.shr_s (i32x4.add (i32x4.sub (local.get $t12) (local.get $t1)) #jI4(rnd)) (i32.const sh))) (local.set d3 (i32x4.shr_s (i32x4.add (i32x4.add (local.get $t13) (local.get $t0)) #jI4(rnd)) (i32.const sh))) (local.set d4 (i32x4.shr_s (i32x4.add (i32x4.sub (local.get $t13) (local.get $t0)) #jI4(rnd)) (i32.const sh)))
;; row r of a block's output (l: columns 0-3, h: 4-7) + 128, clamped to 0..255, as 8 bytes at $out + r * $stride
;;#define jOutRow(l, h) (v128.store64_lane 0 (local.get $out) (i8x16.narrow_i16x8_u (i16x8.narrow_i32x4_s (i32x4.add (local.get l) #jI4(128)) (i32x4.add (local.get h) #jI4(128))) (local.get $zero))) (local.set $out (i32.add (local.get $out) (local.get $stride)))

  ;; The samples of one block of 64 dequantised i32 coefficients at $coef (natural order) into 8 rows of 8 bytes
  ;; at $out, $stride bytes apart: columns first (a row of 4 columns per i32x4), then rows between 4x4
  ;; transposes.
  (func $jInverse (param $coef i32) (param $out i32) (param $stride i32)
    (local $l0 v128) (local $l1 v128) (local $l2 v128) (local $l3 v128) (local $l4 v128) (local $l5 v128)
    (local $l6 v128) (local $l7 v128) (local $h0 v128) (local $h1 v128) (local $h2 v128) (local $h3 v128)
    (local $h4 v128) (local $h5 v128) (local $h6 v128) (local $h7 v128)
    (local $u0 v128) (local $u1 v128) (local $u2 v128) (local $u3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local $t10 v128) (local $t11 v128) (local $t12 v128) (local $t13 v128)
    (local $e0 v128) (local $e1 v128) (local $e2 v128) (local $e3 v128)
    (local $z1 v128) (local $z2 v128) (local $z3 v128) (local $z4 v128) (local $z5 v128) (local $zero v128)
    (local.set $l0 (v128.load offset=0 (local.get $coef)))
    (local.set $h0 (v128.load offset=16 (local.get $coef)))
    (local.set $l1 (v128.load offset=32 (local.get $coef)))
    (local.set $h1 (v128.load offset=48 (local.get $coef)))
    (local.set $l2 (v128.load offset=64 (local.get $coef)))
    (local.set $h2 (v128.load offset=80 (local.get $coef)))
    (local.set $l3 (v128.load offset=96 (local.get $coef)))
    (local.set $h3 (v128.load offset=112 (local.get $coef)))
    (local.set $l4 (v128.load offset=128 (local.get $coef)))
    (local.set $h4 (v128.load offset=144 (local.get $coef)))
    (local.set $l5 (v128.load offset=160 (local.get $coef)))
    (local.set $h5 (v128.load offset=176 (local.get $coef)))
    (local.set $l6 (v128.load offset=192 (local.get $coef)))
    (local.set $h6 (v128.load offset=208 (local.get $coef)))
    (local.set $l7 (v128.load offset=224 (local.get $coef)))
    (local.set $h7 (v128.load offset=240 (local.get $coef)))
    ;; columns: rows as the 8 values, 4 columns per vector
    #jIdct($l0, $l1, $l2, $l3, $l4, $l5, $l6, $l7, 11, 1024)
    #jIdct($h0, $h1, $h2, $h3, $h4, $h5, $h6, $h7, 11, 1024)
    ;; to columns as vectors: $lc / $hc hold column c (c < 4 / c - 4) of rows 0-3 in l0-l3 / h0-h3, of rows 4-7
    ;; in l4-l7 / h4-h7
    #jT4($l0, $l1, $l2, $l3)
    #jT4($l4, $l5, $l6, $l7)
    #jT4($h0, $h1, $h2, $h3)
    #jT4($h4, $h5, $h6, $h7)
    #jIdct($l0, $l1, $l2, $l3, $h0, $h1, $h2, $h3, 18, 131072)
    #jIdct($l4, $l5, $l6, $l7, $h4, $h5, $h6, $h7, 18, 131072)
    ;; back to rows
    #jT4($l0, $l1, $l2, $l3)
    #jT4($h0, $h1, $h2, $h3)
    #jT4($l4, $l5, $l6, $l7)
    #jT4($h4, $h5, $h6, $h7)
    #jOutRow($l0, $h0)
    #jOutRow($l1, $h1)
    #jOutRow($l2, $h2)
    #jOutRow($l3, $h3)
    #jOutRow($l4, $h4)
    #jOutRow($l5, $h5)
    #jOutRow($l6, $h6)
    #jOutRow($l7, $h7))

  ;; Every block of a scan, its coefficients at $coef (256 bytes a block, in the scan's order: per MCU the
  ;; $factor x $factor luma blocks row by row, then Cb, then Cr), into the planes at $luma ($lumaStride bytes a
  ;; row) and $cb, $cr ($chromaStride).
  (func (export "jpegInverseBlocks")
    (param $coef i32) (param $mcuColumns i32) (param $mcuRows i32) (param $factor i32) (param $luma i32)
    (param $lumaStride i32) (param $cb i32) (param $cr i32) (param $chromaStride i32)
    (local $row i32) (local $column i32) (local $b i32) (local $blocks i32) (local $mcu i32)
    (local.set $blocks (i32.mul (local.get $factor) (local.get $factor)))
    (local.set $mcu (i32.shl (local.get $factor) (i32.const 3)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $mcuRows)))
        (local.set $column (i32.const 0))
        (block $columnsDone
          (loop $columns
            (br_if $columnsDone (i32.ge_u (local.get $column) (local.get $mcuColumns)))
            (local.set $b (i32.const 0))
            (block $lumaDone
              (loop $lumaBlocks
                (br_if $lumaDone (i32.ge_u (local.get $b) (local.get $blocks)))
                (call $jInverse (local.get $coef)
                  (i32.add (local.get $luma)
                    (i32.add
                      (i32.mul
                        (i32.add (i32.mul (local.get $row) (local.get $mcu))
                          (i32.shl (i32.shr_u (local.get $b) (i32.const 1)) (i32.const 3)))
                        (local.get $lumaStride))
                      (i32.add (i32.mul (local.get $column) (local.get $mcu))
                        (i32.shl (i32.and (local.get $b) (i32.const 1)) (i32.const 3)))))
                  (local.get $lumaStride))
                (local.set $coef (i32.add (local.get $coef) (i32.const 256)))
                (local.set $b (i32.add (local.get $b) (i32.const 1)))
                (br $lumaBlocks)))
            (call $jInverse (local.get $coef)
              (i32.add (local.get $cb) (i32.add (i32.mul (i32.shl (local.get $row) (i32.const 3)) (local.get $chromaStride))
                (i32.shl (local.get $column) (i32.const 3))))
              (local.get $chromaStride))
            (call $jInverse (i32.add (local.get $coef) (i32.const 256))
              (i32.add (local.get $cr) (i32.add (i32.mul (i32.shl (local.get $row) (i32.const 3)) (local.get $chromaStride))
                (i32.shl (local.get $column) (i32.const 3))))
              (local.get $chromaStride))
            (local.set $coef (i32.add (local.get $coef) (i32.const 512)))
            (local.set $column (i32.add (local.get $column) (i32.const 1)))
            (br $columns)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows))))

;; 8 bytes at p as i16x8
;;#define jBytes8(p) (i16x8.extend_low_i8x16_u (v128.load64_zero p))
;; the colour terms of one i32x4 of chroma values c (centred): (k * c + add) >> 16
;;#define jTerm(c, k) (i32x4.shr_s (i32x4.add (i32x4.mul c #jI4(k)) #jI4(32768)) (i32.const 16))
;; Y + term for the low / high 4 lanes of i16x8 y, as i32x4 (the terms are i32x4 lo and hi)
;;#define jPlusLo(y, t) (i32x4.add (i32x4.extend_low_i16x8_s y) t)
;;#define jPlusHi(y, t) (i32x4.add (i32x4.extend_high_i16x8_s y) t)

  ;; One full-resolution chroma row (i16 at $up, 2 * $chromaWidth values) from chroma rows $near and $far of
  ;; the plane at $plane ($stride bytes a row): column sums 3 * near + far (at $sums + 2, with the first and
  ;; last repeated beside them), then each column's two outputs (3 * this + left + 8) >> 4 and
  ;; (3 * this + right + 7) >> 4.
  (func $jFancyRow (param $plane i32) (param $stride i32) (param $near i32) (param $far i32)
    (param $chromaWidth i32) (param $sums i32) (param $up i32)
    (local $i i32) (local $a i32) (local $b i32) (local $c v128) (local $even v128) (local $odd v128)
    (local.set $a (i32.add (local.get $plane) (i32.mul (local.get $near) (local.get $stride))))
    (local.set $b (i32.add (local.get $plane) (i32.mul (local.get $far) (local.get $stride))))
    (block $sumsDone
      (loop $sumsLoop
        (br_if $sumsDone (i32.ge_u (local.get $i) (local.get $chromaWidth)))
        (local.set $c #jBytes8((i32.add (local.get $a) (local.get $i))))
        (v128.store offset=2 (i32.add (local.get $sums) (i32.shl (local.get $i) (i32.const 1)))
          (i16x8.add (i16x8.add (local.get $c) (i16x8.add (local.get $c) (local.get $c)))
            #jBytes8((i32.add (local.get $b) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $sumsLoop)))
    (i32.store16 (local.get $sums) (i32.load16_u offset=2 (local.get $sums)))
    (i32.store16 offset=2 (i32.add (local.get $sums) (i32.shl (local.get $chromaWidth) (i32.const 1)))
      (i32.load16_u (i32.add (local.get $sums) (i32.shl (local.get $chromaWidth) (i32.const 1)))))
    (local.set $i (i32.const 0))
    (block $upDone
      (loop $upLoop
        (br_if $upDone (i32.ge_u (local.get $i) (local.get $chromaWidth)))
        (local.set $a (i32.add (local.get $sums) (i32.shl (local.get $i) (i32.const 1))))
        (local.set $c (v128.load offset=2 (local.get $a)))
        (local.set $c (i16x8.add (local.get $c) (i16x8.add (local.get $c) (local.get $c))))
        (local.set $even (i16x8.shr_s (i16x8.add (i16x8.add (local.get $c) (v128.load (local.get $a)))
          (v128.const i16x8 8 8 8 8 8 8 8 8)) (i32.const 4)))
        (local.set $odd (i16x8.shr_s (i16x8.add (i16x8.add (local.get $c) (v128.load offset=4 (local.get $a)))
          (v128.const i16x8 7 7 7 7 7 7 7 7)) (i32.const 4)))
        (local.set $a (i32.add (local.get $up) (i32.shl (local.get $i) (i32.const 2))))
        (v128.store (local.get $a)
          (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $even) (local.get $odd)))
        (v128.store offset=16 (local.get $a)
          (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $even) (local.get $odd)))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $upLoop))))

  ;; A plane row of $n bytes at $p as i16 at $up (4:4:4: chroma at full resolution already).
  (func $jWidenRow (param $p i32) (param $n i32) (param $up i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (v128.store (i32.add (local.get $up) (i32.shl (local.get $i) (i32.const 1)))
          #jBytes8((i32.add (local.get $p) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $next))))

  ;; The RGB image ($width x $height, 3 bytes a pixel, at $out; 24 bytes of room after it) from the planes the
  ;; scan decoded: chroma upsampled (4:2:0, $factor 2: rows past the edges repeat the edge rows) or taken as it
  ;; is ($factor 1), then R = Y + (91881 Cr + 32768) >> 16, G = Y + (-22554 Cb + 32768 - 46802 Cr) >> 16,
  ;; B = Y + (116130 Cb + 32768) >> 16 (Cb, Cr centred), clamped to 0..255, 8 pixels a step. $scratch: room for
  ;; 2 column-sum rows and 2 upsampled rows (i16, the width plus 16 values each).
  (func (export "jpegRgbRows")
    (param $luma i32) (param $lumaStride i32) (param $cb i32) (param $cr i32) (param $chromaStride i32)
    (param $width i32) (param $height i32) (param $factor i32) (param $out i32) (param $scratch i32)
    (local $y i32) (local $x i32) (local $near i32) (local $far i32) (local $chromaWidth i32)
    (local $chromaHeight i32) (local $cbUp i32) (local $crUp i32) (local $sums i32) (local $row i32) (local $l i32)
    (local $yv v128) (local $bv v128) (local $rv v128) (local $blo v128) (local $bhi v128) (local $rlo v128)
    (local $rhi v128) (local $rg v128) (local $b8 v128)
    (local.set $chromaWidth (i32.shr_u (i32.add (local.get $width) (i32.const 1)) (i32.const 1)))
    (local.set $chromaHeight (i32.shr_u (i32.add (local.get $height) (i32.const 1)) (i32.const 1)))
    (local.set $sums (local.get $scratch))
    (local.set $row (i32.shl (i32.add (local.get $width) (i32.const 16)) (i32.const 1)))
    (local.set $cbUp (i32.add (local.get $scratch) (local.get $row)))
    (local.set $crUp (i32.add (local.get $cbUp) (local.get $row)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $y) (local.get $height)))
        (if (i32.eq (local.get $factor) (i32.const 2))
          (then
            (local.set $near (i32.shr_u (local.get $y) (i32.const 1)))
            (local.set $far
              (if (result i32) (i32.and (local.get $y) (i32.const 1))
                (then (select (i32.add (local.get $near) (i32.const 1)) (local.get $near)
                  (i32.lt_u (i32.add (local.get $near) (i32.const 1)) (local.get $chromaHeight))))
                (else (select (i32.sub (local.get $near) (i32.const 1)) (i32.const 0) (local.get $near)))))
            (call $jFancyRow (local.get $cb) (local.get $chromaStride) (local.get $near) (local.get $far)
              (local.get $chromaWidth) (local.get $sums) (local.get $cbUp))
            (call $jFancyRow (local.get $cr) (local.get $chromaStride) (local.get $near) (local.get $far)
              (local.get $chromaWidth) (local.get $sums) (local.get $crUp)))
          (else
            (call $jWidenRow (i32.add (local.get $cb) (i32.mul (local.get $y) (local.get $chromaStride)))
              (local.get $width) (local.get $cbUp))
            (call $jWidenRow (i32.add (local.get $cr) (i32.mul (local.get $y) (local.get $chromaStride)))
              (local.get $width) (local.get $crUp))))
        (local.set $l (i32.add (local.get $luma) (i32.mul (local.get $y) (local.get $lumaStride))))
        (local.set $x (i32.const 0))
        (block $pixelsDone
          (loop $pixels
            (br_if $pixelsDone (i32.ge_u (local.get $x) (local.get $width)))
            (local.set $yv #jBytes8((i32.add (local.get $l) (local.get $x))))
            (local.set $bv (i16x8.sub (v128.load (i32.add (local.get $cbUp) (i32.shl (local.get $x) (i32.const 1))))
              (v128.const i16x8 128 128 128 128 128 128 128 128)))
            (local.set $rv (i16x8.sub (v128.load (i32.add (local.get $crUp) (i32.shl (local.get $x) (i32.const 1))))
              (v128.const i16x8 128 128 128 128 128 128 128 128)))
            (local.set $blo (i32x4.extend_low_i16x8_s (local.get $bv)))
            (local.set $bhi (i32x4.extend_high_i16x8_s (local.get $bv)))
            (local.set $rlo (i32x4.extend_low_i16x8_s (local.get $rv)))
            (local.set $rhi (i32x4.extend_high_i16x8_s (local.get $rv)))
            (local.set $rg (i8x16.narrow_i16x8_u
              (i16x8.narrow_i32x4_s #jPlusLo((local.get $yv), #jTerm((local.get $rlo), 91881))
                #jPlusHi((local.get $yv), #jTerm((local.get $rhi), 91881)))
              (i16x8.narrow_i32x4_s
                #jPlusLo((local.get $yv), (i32x4.shr_s (i32x4.add (i32x4.add (i32x4.mul (local.get $blo) #jI4(-22554)) #jI4(32768))
                  (i32x4.mul (local.get $rlo) #jI4(-46802))) (i32.const 16)))
                #jPlusHi((local.get $yv), (i32x4.shr_s (i32x4.add (i32x4.add (i32x4.mul (local.get $bhi) #jI4(-22554)) #jI4(32768))
                  (i32x4.mul (local.get $rhi) #jI4(-46802))) (i32.const 16))))))
            (local.set $b8 (i16x8.narrow_i32x4_s #jPlusLo((local.get $yv), #jTerm((local.get $blo), 116130))
              #jPlusHi((local.get $yv), #jTerm((local.get $bhi), 116130))))
            (local.set $b8 (i8x16.narrow_i16x8_u (local.get $b8) (local.get $b8)))
            (v128.store (local.get $out)
              (i8x16.shuffle 0 8 16 1 9 17 2 10 18 3 11 19 4 12 20 5 (local.get $rg) (local.get $b8)))
            (v128.store64_lane offset=16 0 (local.get $out)
              (i8x16.shuffle 13 21 6 14 22 7 15 23 0 0 0 0 0 0 0 0 (local.get $rg) (local.get $b8)))
            (local.set $out (i32.add (local.get $out)
              (i32.mul (select (i32.const 8) (i32.sub (local.get $width) (local.get $x))
                (i32.le_u (i32.add (local.get $x) (i32.const 8)) (local.get $width))) (i32.const 3))))
            (local.set $x (i32.add (local.get $x) (i32.const 8)))
            (br $pixels)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows))))
;; ---- the small-PNG reader's inflater (src/codec/png-inflate.ts; its twin is node:zlib's inflateSync) ----
;; A zlib stream is a 2-byte header, deflate blocks (stored, fixed or dynamic Huffman codes) and the Adler-32 of
;; the inflated bytes; docs/png-reader.md states the formats as this code relies on them. $bits holds the stream's next $count bits, least significant first; the
;; refill stops at $end (the Adler-32's first byte), so a read past the data fails instead of reading it.
;;#define zFill(upTo) (block $fillDone (loop $fill (br_if $fillDone (i32.gt_u (local.get $count) upTo)) (br_if $fillDone (i32.ge_u (local.get $at) (local.get $end))) (local.set $bits (i64.or (local.get $bits) (i64.shl (i64.load8_u (local.get $at)) (i64.extend_i32_u (local.get $count))))) (local.set $at (i32.add (local.get $at) (i32.const 1))) (local.set $count (i32.add (local.get $count) (i32.const 8))) (br $fill)))
;; the next `width` (0-16) bits into local `into`, or $fail when the data ends first
;;#define zTake(into, width) (if (i32.lt_u (local.get $count) width) (then #zFill((i32.const 56)))) (br_if $fail (i32.lt_u (local.get $count) width)) (local.set into (i32.wrap_i64 (i64.and (local.get $bits) (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u width)) (i64.const 1))))) (local.set $bits (i64.shr_u (local.get $bits) (i64.extend_i32_u width))) (local.set $count (i32.sub (local.get $count) width))
;; the next symbol of the code at `table` (see $zBuild) into local `into`, or $fail: a 10-bit look-up, and
;; $zSlow for longer codes; a code longer than the bits left fails
;;#define zDecode(into, table) (if (i32.lt_u (local.get $count) (i32.const 15)) (then #zFill((i32.const 56)))) (local.set $entry (i32.load16_u (i32.add table (i32.shl (i32.and (i32.wrap_i64 (local.get $bits)) (i32.const 1023)) (i32.const 1))))) (if (i32.eqz (i32.and (local.get $entry) (i32.const 15))) (then (local.set $entry (call $zSlow (local.get $bits) table)) (br_if $fail (i32.lt_s (local.get $entry) (i32.const 0))))) (local.set $width (i32.and (local.get $entry) (i32.const 15))) (br_if $fail (i32.gt_u (local.get $width) (local.get $count))) (local.set $bits (i64.shr_u (local.get $bits) (i64.extend_i32_u (local.get $width)))) (local.set $count (i32.sub (local.get $count) (local.get $width))) (local.set into (i32.shr_u (local.get $entry) (i32.const 4)))

  ;; A canonical Huffman code from $n code lengths (bytes at $lengths, 0 = unused) at $table: 1024 i16 look-up
  ;; entries (symbol << 4 | length, for codes of at most 10 bits, indexed by the code's bits as the stream sends
  ;; them; 0 elsewhere) at +0, the count of codes of each length (16 i16) at +2048, the symbols sorted by length
  ;; then value (at most 320 i16) at +2080, 16 i16 of scratch at +2720; 2752 bytes. Returns 0 for a complete
  ;; code, 1 for a single code of length 1 (incomplete: zlib takes it for distances), 2 for no code at all, -1
  ;; for an over-subscribed code or another incomplete one.
  (func $zBuild (param $lengths i32) (param $n i32) (param $table i32) (result i32)
    (local $s i32) (local $len i32) (local $left i32) (local $codes i32) (local $code i32) (local $index i32)
    (local $j i32) (local $count i32) (local $sym i32) (local $reversed i32) (local $k i32) (local $step i32)
    (local $c i32) (local $b i32)
    (memory.fill (i32.add (local.get $table) (i32.const 2048)) (i32.const 0) (i32.const 32))
    (local.set $s (i32.const 0))
    (block $countDone
      (loop $counting
        (br_if $countDone (i32.ge_u (local.get $s) (local.get $n)))
        (local.set $len (i32.load8_u (i32.add (local.get $lengths) (local.get $s))))
        (local.set $k (i32.add (i32.add (local.get $table) (i32.const 2048)) (i32.shl (local.get $len) (i32.const 1))))
        (i32.store16 (local.get $k) (i32.add (i32.load16_u (local.get $k)) (i32.const 1)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $counting)))
    (local.set $left (i32.const 1))
    (local.set $len (i32.const 1))
    (block $leftDone
      (loop $lefts
        (br_if $leftDone (i32.gt_u (local.get $len) (i32.const 15)))
        (local.set $count (i32.load16_u (i32.add (i32.add (local.get $table) (i32.const 2048)) (i32.shl (local.get $len) (i32.const 1)))))
        (local.set $left (i32.sub (i32.shl (local.get $left) (i32.const 1)) (local.get $count)))
        (if (i32.lt_s (local.get $left) (i32.const 0)) (then (return (i32.const -1))))
        (local.set $codes (i32.add (local.get $codes) (local.get $count)))
        (local.set $len (i32.add (local.get $len) (i32.const 1)))
        (br $lefts)))
    ;; each length's first place among the sorted symbols, in the scratch
    (i32.store16 offset=2722 (local.get $table) (i32.const 0))
    (local.set $len (i32.const 1))
    (block $offsDone
      (loop $offs
        (br_if $offsDone (i32.ge_u (local.get $len) (i32.const 15)))
        (local.set $k (i32.add (local.get $table) (i32.shl (local.get $len) (i32.const 1))))
        (i32.store16 offset=2722 (local.get $k)
          (i32.add (i32.load16_u offset=2720 (local.get $k)) (i32.load16_u offset=2048 (local.get $k))))
        (local.set $len (i32.add (local.get $len) (i32.const 1)))
        (br $offs)))
    (local.set $s (i32.const 0))
    (block $sortDone
      (loop $sorting
        (br_if $sortDone (i32.ge_u (local.get $s) (local.get $n)))
        (local.set $len (i32.load8_u (i32.add (local.get $lengths) (local.get $s))))
        (if (local.get $len)
          (then
            (local.set $k (i32.add (local.get $table) (i32.shl (local.get $len) (i32.const 1))))
            (local.set $index (i32.load16_u offset=2720 (local.get $k)))
            (i32.store16 offset=2080 (i32.add (local.get $table) (i32.shl (local.get $index) (i32.const 1))) (local.get $s))
            (i32.store16 offset=2720 (local.get $k) (i32.add (local.get $index) (i32.const 1)))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $sorting)))
    ;; the look-up entries of the codes of at most 10 bits: canonical codes, bit-reversed
    (memory.fill (local.get $table) (i32.const 0) (i32.const 2048))
    (local.set $code (i32.const 0))
    (local.set $index (i32.const 0))
    (local.set $len (i32.const 1))
    (block $lensDone
      (loop $lens
        (br_if $lensDone (i32.gt_u (local.get $len) (i32.const 10)))
        (local.set $count (i32.load16_u offset=2048 (i32.add (local.get $table) (i32.shl (local.get $len) (i32.const 1)))))
        (local.set $step (i32.shl (i32.const 1) (local.get $len)))
        (local.set $j (i32.const 0))
        (block $codesDone
          (loop $codesOfLength
            (br_if $codesDone (i32.ge_u (local.get $j) (local.get $count)))
            (local.set $sym (i32.load16_u offset=2080 (i32.add (local.get $table) (i32.shl (local.get $index) (i32.const 1)))))
            (local.set $reversed (i32.const 0))
            (local.set $c (local.get $code))
            (local.set $b (i32.const 0))
            (block $revDone
              (loop $rev
                (br_if $revDone (i32.ge_u (local.get $b) (local.get $len)))
                (local.set $reversed (i32.or (i32.shl (local.get $reversed) (i32.const 1)) (i32.and (local.get $c) (i32.const 1))))
                (local.set $c (i32.shr_u (local.get $c) (i32.const 1)))
                (local.set $b (i32.add (local.get $b) (i32.const 1)))
                (br $rev)))
            (local.set $k (local.get $reversed))
            (block $fillDone
              (loop $filling
                (br_if $fillDone (i32.ge_u (local.get $k) (i32.const 1024)))
                (i32.store16 (i32.add (local.get $table) (i32.shl (local.get $k) (i32.const 1)))
                  (i32.or (i32.shl (local.get $sym) (i32.const 4)) (local.get $len)))
                (local.set $k (i32.add (local.get $k) (local.get $step)))
                (br $filling)))
            (local.set $code (i32.add (local.get $code) (i32.const 1)))
            (local.set $index (i32.add (local.get $index) (i32.const 1)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $codesOfLength)))
        (local.set $code (i32.shl (local.get $code) (i32.const 1)))
        (local.set $len (i32.add (local.get $len) (i32.const 1)))
        (br $lens)))
    (if (i32.eqz (local.get $left)) (then (return (i32.const 0))))
    (if (i32.eqz (local.get $codes)) (then (return (i32.const 2))))
    (if (i32.and (i32.eq (local.get $codes) (i32.const 1))
          (i32.eq (i32.load16_u offset=2050 (local.get $table)) (i32.const 1)))
      (then (return (i32.const 1))))
    (i32.const -1))

  ;; The symbol (symbol << 4 | length) of the code of more than 10 bits that starts $bits, from $zBuild's counts
  ;; and sorted symbols, one bit at a time as canonical codes are laid out; -1 when no code matches.
  (func $zSlow (param $bits i64) (param $table i32) (result i32)
    (local $len i32) (local $code i32) (local $first i32) (local $index i32) (local $count i32)
    (local.set $len (i32.const 1))
    (block $none
      (loop $next
        (br_if $none (i32.gt_u (local.get $len) (i32.const 15)))
        (local.set $code (i32.or (local.get $code)
          (i32.and (i32.wrap_i64 (i64.shr_u (local.get $bits) (i64.extend_i32_u (i32.sub (local.get $len) (i32.const 1))))) (i32.const 1))))
        (local.set $count (i32.load16_u offset=2048 (i32.add (local.get $table) (i32.shl (local.get $len) (i32.const 1)))))
        (if (i32.lt_s (i32.sub (local.get $code) (local.get $count)) (local.get $first))
          (then
            (return (i32.or (local.get $len) (i32.shl
              (i32.load16_u offset=2080 (i32.add (local.get $table)
                (i32.shl (i32.add (local.get $index) (i32.sub (local.get $code) (local.get $first))) (i32.const 1))))
              (i32.const 4))))))
        (local.set $index (i32.add (local.get $index) (local.get $count)))
        (local.set $first (i32.shl (i32.add (local.get $first) (local.get $count)) (i32.const 1)))
        (local.set $code (i32.shl (local.get $code) (i32.const 1)))
        (local.set $len (i32.add (local.get $len) (i32.const 1)))
        (br $next)))
    (i32.const -1))

  ;; Inflates the zlib stream of $n bytes at $src into $dst (room for $size bytes), with $work (8,640 bytes of
  ;; scratch: code lengths, then the literal/length, distance and code-length codes); returns the number of
  ;; bytes inflated. Returns -1 instead wherever the stream is not one node:zlib would surely inflate to the
  ;; same bytes: a header that asks for a dictionary or is not deflate's, a reserved block type, a stored
  ;; block's length not matching its complement, an over-subscribed or incomplete code (but for distances' single
  ;; code of length 1, or none), too many lengths, a missing end-of-block code, a symbol or distance outside the
  ;; code or the bytes inflated so far, more than $size bytes, data that ends early or goes on past the final
  ;; block, or an Adler-32 that does not match. The caller then asks zlib, which decides.
  (func (export "inflateZlib") (param $src i32) (param $n i32) (param $dst i32) (param $size i32) (param $work i32)
    (result i32)
    (local $bits i64) (local $count i32) (local $at i32) (local $end i32) (local $out i32) (local $final i32)
    (local $type i32) (local $sym i32) (local $len i32) (local $dist i32) (local $extra i32) (local $i i32)
    (local $k i32) (local $hlit i32) (local $hdist i32) (local $hclen i32) (local $rep i32) (local $header i32)
    (local $entry i32) (local $width i32) (local $nlen i32) (local $from i32) (local $a i32) (local $b i32)
    (local $chunkEnd i32) (local $lengths i32) (local $lit i32) (local $distTable i32) (local $cl i32)
    (if (i32.lt_u (local.get $n) (i32.const 6)) (then (return (i32.const -1))))
    (local.set $header (i32.or (i32.shl (i32.load8_u (local.get $src)) (i32.const 8)) (i32.load8_u offset=1 (local.get $src))))
    ;; CM 8 (deflate), CINFO at most 7 (a window of at most 32 KiB), the check bits, no preset dictionary
    (if (i32.or
          (i32.or (i32.ne (i32.and (i32.shr_u (local.get $header) (i32.const 8)) (i32.const 15)) (i32.const 8))
            (i32.gt_u (i32.shr_u (local.get $header) (i32.const 12)) (i32.const 7)))
          (i32.or (i32.rem_u (local.get $header) (i32.const 31)) (i32.and (local.get $header) (i32.const 32))))
      (then (return (i32.const -1))))
    (local.set $lengths (local.get $work))
    (local.set $lit (i32.add (local.get $work) (i32.const 320)))
    (local.set $distTable (i32.add (local.get $work) (i32.const 3072)))
    (local.set $cl (i32.add (local.get $work) (i32.const 5824)))
    (local.set $at (i32.add (local.get $src) (i32.const 2)))
    (local.set $end (i32.sub (i32.add (local.get $src) (local.get $n)) (i32.const 4)))
    (block $fail
      (loop $blocks
        #zTake($final, (i32.const 1))
        #zTake($type, (i32.const 2))
        (if (i32.eqz (local.get $type))
          (then
            ;; stored: to the next byte, LEN and its complement, LEN bytes
            #zTake($k, (i32.and (local.get $count) (i32.const 7)))
            #zTake($len, (i32.const 16))
            #zTake($nlen, (i32.const 16))
            (br_if $fail (i32.ne (local.get $len) (i32.xor (local.get $nlen) (i32.const 0xffff))))
            (br_if $fail (i32.gt_u (local.get $len) (i32.sub (local.get $size) (local.get $out))))
            (local.set $i (i32.const 0))
            (block $storedDone
              (loop $stored
                (br_if $storedDone (i32.ge_u (local.get $i) (local.get $len)))
                #zTake($k, (i32.const 8))
                (i32.store8 (i32.add (local.get $dst) (local.get $out)) (local.get $k))
                (local.set $out (i32.add (local.get $out) (i32.const 1)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $stored))))
          (else
            (if (i32.eq (local.get $type) (i32.const 1))
              (then
                ;; fixed codes: literal/length lengths 8 (0-143), 9 (144-255), 7 (256-279), 8 (280-287);
                ;; 32 distance codes of 5 bits (30 and 31 never valid)
                (memory.fill (local.get $lengths) (i32.const 8) (i32.const 144))
                (memory.fill (i32.add (local.get $lengths) (i32.const 144)) (i32.const 9) (i32.const 112))
                (memory.fill (i32.add (local.get $lengths) (i32.const 256)) (i32.const 7) (i32.const 24))
                (memory.fill (i32.add (local.get $lengths) (i32.const 280)) (i32.const 8) (i32.const 8))
                (drop (call $zBuild (local.get $lengths) (i32.const 288) (local.get $lit)))
                (memory.fill (local.get $lengths) (i32.const 5) (i32.const 32))
                (drop (call $zBuild (local.get $lengths) (i32.const 32) (local.get $distTable))))
              (else
                (br_if $fail (i32.ne (local.get $type) (i32.const 2)))
                #zTake($hlit, (i32.const 5))
                #zTake($hdist, (i32.const 5))
                #zTake($hclen, (i32.const 4))
                (local.set $hlit (i32.add (local.get $hlit) (i32.const 257)))
                (local.set $hdist (i32.add (local.get $hdist) (i32.const 1)))
                (local.set $hclen (i32.add (local.get $hclen) (i32.const 4)))
                (br_if $fail (i32.or (i32.gt_u (local.get $hlit) (i32.const 286)) (i32.gt_u (local.get $hdist) (i32.const 30))))
                ;; the code-length code's lengths, in the order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1 15
                ;; (5 bits each, packed into two constants)
                (memory.fill (local.get $lengths) (i32.const 0) (i32.const 19))
                (local.set $i (i32.const 0))
                (block $clDone
                  (loop $clLengths
                    (br_if $clDone (i32.ge_u (local.get $i) (local.get $hclen)))
                    #zTake($k, (i32.const 3))
                    (i32.store8
                      (i32.add (local.get $lengths)
                        (i32.wrap_i64 (i64.and (i64.const 31)
                          (if (result i64) (i32.lt_u (local.get $i) (i32.const 12))
                            (then (i64.shr_u (i64.const 0x22caa324e804a30) (i64.extend_i32_u (i32.mul (local.get $i) (i32.const 5)))))
                            (else (i64.shr_u (i64.const 0x3c2e1346c)
                              (i64.extend_i32_u (i32.mul (i32.sub (local.get $i) (i32.const 12)) (i32.const 5)))))))))
                      (local.get $k))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $clLengths)))
                (br_if $fail (i32.ne (call $zBuild (local.get $lengths) (i32.const 19) (local.get $cl)) (i32.const 0)))
                ;; the literal/length then distance code lengths, with repeats (16: the last 3-6 times, 17: 0
                ;; 3-10 times, 18: 0 11-138 times)
                (local.set $i (i32.const 0))
                (block $lengthsDone
                  (loop $codeLengths
                    (br_if $lengthsDone (i32.ge_u (local.get $i) (i32.add (local.get $hlit) (local.get $hdist))))
                    #zDecode($sym, (local.get $cl))
                    (if (i32.lt_u (local.get $sym) (i32.const 16))
                      (then
                        (i32.store8 (i32.add (local.get $lengths) (local.get $i)) (local.get $sym))
                        (local.set $i (i32.add (local.get $i) (i32.const 1))))
                      (else
                        (if (i32.eq (local.get $sym) (i32.const 16))
                          (then
                            (br_if $fail (i32.eqz (local.get $i)))
                            (local.set $len (i32.load8_u (i32.sub (i32.add (local.get $lengths) (local.get $i)) (i32.const 1))))
                            #zTake($rep, (i32.const 2))
                            (local.set $rep (i32.add (local.get $rep) (i32.const 3))))
                          (else
                            (local.set $len (i32.const 0))
                            (if (i32.eq (local.get $sym) (i32.const 17))
                              (then
                                #zTake($rep, (i32.const 3))
                                (local.set $rep (i32.add (local.get $rep) (i32.const 3))))
                              (else
                                #zTake($rep, (i32.const 7))
                                (local.set $rep (i32.add (local.get $rep) (i32.const 11)))))))
                        (br_if $fail (i32.gt_u (i32.add (local.get $i) (local.get $rep)) (i32.add (local.get $hlit) (local.get $hdist))))
                        (memory.fill (i32.add (local.get $lengths) (local.get $i)) (local.get $len) (local.get $rep))
                        (local.set $i (i32.add (local.get $i) (local.get $rep)))))
                    (br $codeLengths)))
                (br_if $fail (i32.eqz (i32.load8_u offset=256 (local.get $lengths))))
                (br_if $fail (i32.ne (call $zBuild (local.get $lengths) (local.get $hlit) (local.get $lit)) (i32.const 0)))
                (br_if $fail (i32.lt_s
                  (call $zBuild (i32.add (local.get $lengths) (local.get $hlit)) (local.get $hdist) (local.get $distTable))
                  (i32.const 0)))))
            ;; the block's symbols: literals, end-of-block, lengths with their distances
            (block $blockDone
              (loop $symbols
                #zDecode($sym, (local.get $lit))
                (if (i32.lt_u (local.get $sym) (i32.const 256))
                  (then
                    (br_if $fail (i32.ge_u (local.get $out) (local.get $size)))
                    (i32.store8 (i32.add (local.get $dst) (local.get $out)) (local.get $sym))
                    (local.set $out (i32.add (local.get $out) (i32.const 1)))
                    (br $symbols)))
                (br_if $blockDone (i32.eq (local.get $sym) (i32.const 256)))
                (br_if $fail (i32.gt_u (local.get $sym) (i32.const 285)))
                ;; length: 257-264 are 3-10, 285 is 258, the others base ((4 + (i & 3)) << x) + 3 with x = i >> 2
                ;; extra bits, i = sym - 261
                (if (i32.lt_u (local.get $sym) (i32.const 265))
                  (then (local.set $len (i32.sub (local.get $sym) (i32.const 254))))
                  (else
                    (if (i32.eq (local.get $sym) (i32.const 285))
                      (then (local.set $len (i32.const 258)))
                      (else
                        (local.set $i (i32.sub (local.get $sym) (i32.const 261)))
                        (local.set $extra (i32.shr_u (local.get $i) (i32.const 2)))
                        #zTake($k, (local.get $extra))
                        (local.set $len (i32.add (i32.add
                          (i32.shl (i32.add (i32.const 4) (i32.and (local.get $i) (i32.const 3))) (local.get $extra))
                          (i32.const 3)) (local.get $k)))))))
                ;; distance: 0-3 are 1-4, the others base ((2 + (d & 1)) << x) + 1 with x = (d >> 1) - 1 extra bits
                #zDecode($sym, (local.get $distTable))
                (br_if $fail (i32.gt_u (local.get $sym) (i32.const 29)))
                (if (i32.lt_u (local.get $sym) (i32.const 4))
                  (then (local.set $dist (i32.add (local.get $sym) (i32.const 1))))
                  (else
                    (local.set $extra (i32.sub (i32.shr_u (local.get $sym) (i32.const 1)) (i32.const 1)))
                    #zTake($k, (local.get $extra))
                    (local.set $dist (i32.add (i32.add
                      (i32.shl (i32.add (i32.const 2) (i32.and (local.get $sym) (i32.const 1))) (local.get $extra))
                      (i32.const 1)) (local.get $k)))))
                (br_if $fail (i32.gt_u (local.get $dist) (local.get $out)))
                (br_if $fail (i32.gt_u (local.get $len) (i32.sub (local.get $size) (local.get $out))))
                (local.set $from (i32.sub (i32.add (local.get $dst) (local.get $out)) (local.get $dist)))
                (local.set $k (i32.add (local.get $dst) (local.get $out)))
                (local.set $out (i32.add (local.get $out) (local.get $len)))
                (block $copyDone
                  (loop $copy
                    (br_if $copyDone (i32.eqz (local.get $len)))
                    (i32.store8 (local.get $k) (i32.load8_u (local.get $from)))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (local.set $from (i32.add (local.get $from) (i32.const 1)))
                    (local.set $len (i32.sub (local.get $len) (i32.const 1)))
                    (br $copy)))
                (br $symbols)))))
        (br_if $blocks (i32.eqz (local.get $final))))
      ;; the data must end at the Adler-32, once the last byte's unused bits are dropped
      #zTake($k, (i32.and (local.get $count) (i32.const 7)))
      (br_if $fail (i32.ne (i32.sub (local.get $at) (i32.shr_u (local.get $count) (i32.const 3))) (local.get $end)))
      ;; Adler-32 of the bytes inflated, sums reduced every 5552 bytes (as zlib does)
      (local.set $a (i32.const 1))
      (local.set $i (i32.const 0))
      (block $adlerDone
        (loop $chunks
          (br_if $adlerDone (i32.ge_u (local.get $i) (local.get $out)))
          (local.set $chunkEnd (i32.add (local.get $i) (i32.const 5552)))
          (if (i32.gt_u (local.get $chunkEnd) (local.get $out)) (then (local.set $chunkEnd (local.get $out))))
          (block $chunkDone
            (loop $bytes
              (br_if $chunkDone (i32.ge_u (local.get $i) (local.get $chunkEnd)))
              (local.set $a (i32.add (local.get $a) (i32.load8_u (i32.add (local.get $dst) (local.get $i)))))
              (local.set $b (i32.add (local.get $b) (local.get $a)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $bytes)))
          (local.set $a (i32.rem_u (local.get $a) (i32.const 65521)))
          (local.set $b (i32.rem_u (local.get $b) (i32.const 65521)))
          (br $chunks)))
      (br_if $fail (i32.ne (i32.or (i32.shl (local.get $b) (i32.const 16)) (local.get $a))
        (i32.or (i32.or (i32.shl (i32.load8_u (local.get $end)) (i32.const 24))
                        (i32.shl (i32.load8_u offset=1 (local.get $end)) (i32.const 16)))
                (i32.or (i32.shl (i32.load8_u offset=2 (local.get $end)) (i32.const 8))
                        (i32.load8_u offset=3 (local.get $end))))))
      (return (local.get $out)))
    (i32.const -1))
)
