;; The hot loops of the AugMix core in WebAssembly (SIMD, f64x2): the bilinear sampling of the geometric ops
;; and the 8-bit mix. Each function computes exactly the float64 expressions of its TypeScript twin
;; (src/augmix/ops/affine.ts, src/augmix/mix.ts) in the same order; WebAssembly's f64 operations are IEEE 754
;; binary64 with round-to-nearest-even and no fused multiply-add, so every value gets the same bits.
;; Compiled by scripts/build-wasm.mjs (wabt) into kernels-wasm.ts; edit this file, then rerun that script.
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
;; lanes 0-1 / 2-3 of an i32x4 as f64x2
;;#define lo(v) (f64x2.convert_low_i32x4_u v)
;;#define hi(v) (f64x2.convert_low_i32x4_u (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 v v))
;; truncates [v0, v1] and [v2, v3] (each in 0..255) into 4 bytes of an i32, byte 0 lowest (w: a v128 local)
;;#define pack(a, b, w) (local.set w (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (i32x4.trunc_sat_f64x2_s_zero a) (i32x4.trunc_sat_f64x2_s_zero b))) (i32x4.extract_lane 0 (i8x16.narrow_i16x8_u (i16x8.narrow_i32x4_u (local.get w) (local.get w)) (i16x8.narrow_i32x4_u (local.get w) (local.get w))))
;; writes the low 3 bytes of the i32 v at the address in local o (scratch: local $px)
;;#define store3(o, v) (local.set $px v) (i32.store16 (local.get o) (local.get $px)) (i32.store8 offset=2 (local.get o) (i32.shr_u (local.get $px) (i32.const 16)))
;; trunc(s0 + (s1 - s0) * f) on the 4 bytes at p0 and p1, packed (scratch: locals $s0 $s1 $fv $a $b $w)
;;#define lerp1(p0, p1, f) (local.set $fv (f64x2.splat f)) (local.set $s0 #load4(p0)) (local.set $s1 #load4(p1)) (local.set $a #lo((local.get $s0))) (local.set $b #lo((local.get $s1))) (local.set $a (f64x2.add (local.get $a) (f64x2.mul (f64x2.sub (local.get $b) (local.get $a)) (local.get $fv)))) (local.set $s0 #hi((local.get $s0))) (local.set $s1 #hi((local.get $s1))) (local.set $b (f64x2.add (local.get $s0) (f64x2.mul (f64x2.sub (local.get $s1) (local.get $s0)) (local.get $fv)))) #pack((local.get $a), (local.get $b), $w)
;; mix.ts mixValue3 on f64x2 lanes (weights in locals $vwa $vwb $vwc $vkeep $vm; scratch: local $acc)
;;#define mixQuad(o, a, b, c) (local.set $acc (f64x2.add (f64x2.splat (f64.const 0)) (f64x2.mul (local.get $vwa) a))) (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $vwb) b))) (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $vwc) c))) (f64x2.min (f64x2.splat (f64.const 255)) (f64x2.max (f64x2.splat (f64.const 0)) (f64x2.floor (f64x2.add (f64x2.add (f64x2.mul (local.get $vkeep) o) (f64x2.mul (local.get $vm) (local.get $acc))) (f64x2.splat (f64.const 0.5))))))

;; ---- the width-3 mix in float32 with an exact fallback (mix.ts mix3Simd) ----
;; u8 lanes 4q..4q+3 of the v128 v as f32x4
;;#define q0(v) (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u v)))
;;#define q1(v) (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (i16x8.extend_low_i8x16_u v)))
;;#define q2(v) (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (i16x8.extend_high_i8x16_u v)))
;;#define q3(v) (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (i16x8.extend_high_i8x16_u v)))
;; ((keep*o) + m*((wa*a + wb*b) + wc*c)) + 0.5 in f32x4, into local r; then floor into local fl, and the lanes
;; whose fraction lies within eps of an integer are or-ed into local $near
;;#define mixF32(o, a, b, c, r, fl) (local.set r (f32x4.add (f32x4.add (f32x4.mul (local.get $fkeep) o) (f32x4.mul (local.get $fm) (f32x4.add (f32x4.add (f32x4.mul (local.get $fwa) a) (f32x4.mul (local.get $fwb) b)) (f32x4.mul (local.get $fwc) c)))) (local.get $half))) (local.set fl (f32x4.floor (local.get r))) (local.set r (f32x4.sub (local.get r) (local.get fl))) (local.set $near (v128.or (local.get $near) (v128.or (f32x4.lt (local.get r) (local.get $eps)) (f32x4.gt (local.get r) (local.get $oneLessEps)))))

(module
  (memory (export "memory") 1)

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

  ;; One output row when v = Y (affine.ts interpolateWithinRow): u = (aX[x] + bY) + c; outside [0, W) the
  ;; pixel is black; else trunc(s0 + (s1 - s0) * fx) from its own source row, clamped at the two ends.
  (func (export "withinRows")
    (param $src i32) (param $out i32) (param $aX i32) (param $width i32) (param $height i32)
    (param $kb f64) (param $c f64)
    (local $y i32) (local $x i32) (local $row i32) (local $o i32) (local $bY f64) (local $u f64)
    (local $us f64) (local $i i32) (local $p0 i32) (local $p1 i32) (local $wf f64) (local $maxX i32)
    (local $stride i32) (local $px i32)
    (local $s0 v128) (local $s1 v128) (local $fv v128) (local $a v128) (local $b v128) (local $w v128)
    (local.set $wf (f64.convert_i32_s (local.get $width)))
    (local.set $maxX (i32.sub (local.get $width) (i32.const 1)))
    (local.set $stride (i32.mul (local.get $width) (i32.const 3)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_s (local.get $y) (local.get $height)))
        (local.set $row (i32.mul (local.get $y) (local.get $stride)))
        (local.set $bY (f64.mul (local.get $kb) (f64.add (f64.convert_i32_s (local.get $y)) (f64.const 0.5))))
        (local.set $x (i32.const 0))
        (local.set $o (i32.add (local.get $out) (local.get $row)))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_s (local.get $x) (local.get $width)))
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
                #store3($o, #lerp1((i32.add (local.get $src) (local.get $p0)), (i32.add (local.get $src) (local.get $p1)), (f64.sub (local.get $us) (f64.convert_i32_s (local.get $i))))))
              (else #store3($o, (i32.const 0))))
            (local.set $o (i32.add (local.get $o) (i32.const 3)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $cols)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows))))

  ;; One output row when u = X (affine.ts interpolateWithinColumns): v = (dX[x] + eY) + f; outside [0, H) the
  ;; pixel is black; else trunc(s0 + (s1 - s0) * fy) from its own source column, clamped at the two ends.
  (func (export "withinColumns")
    (param $src i32) (param $out i32) (param $dX i32) (param $width i32) (param $height i32)
    (param $e f64) (param $f f64)
    (local $y i32) (local $x i32) (local $o i32) (local $eY f64) (local $v f64) (local $vs f64)
    (local $j i32) (local $col i32) (local $p0 i32) (local $p1 i32) (local $h f64) (local $maxY i32)
    (local $stride i32) (local $px i32)
    (local $s0 v128) (local $s1 v128) (local $fv v128) (local $a v128) (local $b v128) (local $w v128)
    (local.set $h (f64.convert_i32_s (local.get $height)))
    (local.set $maxY (i32.sub (local.get $height) (i32.const 1)))
    (local.set $stride (i32.mul (local.get $width) (i32.const 3)))
    (local.set $o (local.get $out))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_s (local.get $y) (local.get $height)))
        (local.set $eY (f64.mul (local.get $e) (f64.add (f64.convert_i32_s (local.get $y)) (f64.const 0.5))))
        (local.set $x (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_s (local.get $x) (local.get $width)))
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
                #store3($o, #lerp1((i32.add (local.get $src) (local.get $p0)), (i32.add (local.get $src) (local.get $p1)), (f64.sub (local.get $vs) (f64.convert_i32_s (local.get $j))))))
              (else #store3($o, (i32.const 0))))
            (local.set $o (i32.add (local.get $o) (i32.const 3)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $cols)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows))))

  ;; affine.ts interpolateRow: the interior samples of one output row, located by JS (source offset of the
  ;; top-left neighbour, or -1 to skip, and the fractions); top = s00 + (s01 - s00) * fx, bottom likewise,
  ;; value = trunc(top + (bottom - top) * fy).
  (func (export "interpolateRow")
    (param $src i32) (param $out i32) (param $offsets i32) (param $fxs i32) (param $fys i32)
    (param $n i32) (param $stride i32)
    (local $x i32) (local $p i32) (local $q i32) (local $fx v128) (local $fy v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $top v128) (local $bottom v128) (local $a v128) (local $o i32) (local $px i32) (local $w v128)
    (local.set $o (local.get $out))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $x) (local.get $n)))
        (local.set $p (i32.load (i32.add (local.get $offsets) (i32.shl (local.get $x) (i32.const 2)))))
        (if (i32.ge_s (local.get $p) (i32.const 0))
          (then
            (local.set $fx (f64x2.splat (f64.load (i32.add (local.get $fxs) (i32.shl (local.get $x) (i32.const 3))))))
            (local.set $fy (f64x2.splat (f64.load (i32.add (local.get $fys) (i32.shl (local.get $x) (i32.const 3))))))
            (local.set $p (i32.add (local.get $src) (local.get $p)))
            (local.set $q (i32.add (local.get $p) (local.get $stride)))
            (local.set $s00 #load4((local.get $p)))
            (local.set $s01 #load4((i32.add (local.get $p) (i32.const 3))))
            (local.set $s10 #load4((local.get $q)))
            (local.set $s11 #load4((i32.add (local.get $q) (i32.const 3))))
            ;; channels 0-1
            (local.set $top #lo((local.get $s00)))
            (local.set $top
              (f64x2.add (local.get $top) (f64x2.mul (f64x2.sub #lo((local.get $s01)) (local.get $top)) (local.get $fx))))
            (local.set $bottom #lo((local.get $s10)))
            (local.set $bottom
              (f64x2.add (local.get $bottom)
                (f64x2.mul (f64x2.sub #lo((local.get $s11)) (local.get $bottom)) (local.get $fx))))
            (local.set $a
              (f64x2.add (local.get $top) (f64x2.mul (f64x2.sub (local.get $bottom) (local.get $top)) (local.get $fy))))
            ;; channels 2-3
            (local.set $top #hi((local.get $s00)))
            (local.set $top
              (f64x2.add (local.get $top) (f64x2.mul (f64x2.sub #hi((local.get $s01)) (local.get $top)) (local.get $fx))))
            (local.set $bottom #hi((local.get $s10)))
            (local.set $bottom
              (f64x2.add (local.get $bottom)
                (f64x2.mul (f64x2.sub #hi((local.get $s11)) (local.get $bottom)) (local.get $fx))))
            #store3($o, #pack((local.get $a), (f64x2.add (local.get $top) (f64x2.mul (f64x2.sub (local.get $bottom) (local.get $top)) (local.get $fy))), $w))))
        (local.set $o (i32.add (local.get $o) (i32.const 3)))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $next))))

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
            (i16x8.narrow_i32x4_s (i32x4.trunc_sat_f32x4_s (local.get $f0)) (i32x4.trunc_sat_f32x4_s (local.get $f1)))
            (i16x8.narrow_i32x4_s (i32x4.trunc_sat_f32x4_s (local.get $f2)) (i32x4.trunc_sat_f32x4_s (local.get $f3)))))
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
)
