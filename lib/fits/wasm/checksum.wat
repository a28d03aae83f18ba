;; The inner loop of the FITS checksum (lib/fits/checksum.ts) in WebAssembly SIMD: sums of the bytes at each position
;; of the 32-bit words of a buffer, four words a step. Little-endian lanes, as in the JavaScript loop: masking a word
;; with 0x00ff00ff leaves byte 0 in bits 0-15 and byte 2 in bits 16-31; shifting it right by 8 first, bytes 1 and 3.
;; 256 steps add at most 256 x 255 < 2^16 to each 16-bit half, so the halves are moved to 32-bit totals every 256.
;; Build: `npm run build:wasm` writes checksum-wasm.ts from this file (test/fits/wasm.test.ts checks they agree).
(module
  ;; bytes 0-15: the four sums written by $lanes; from byte 64: the data, up to 256 KiB
  (memory (export "memory") 5)

  (func $hsum (param $v v128) (result i32)
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))

  ;; lanes(p, n): n bytes from p, n > 0 a multiple of 16; writes the sums of bytes 0, 1, 2, 3 of the words at 0, 4, 8, 12
  (func (export "lanes") (param $p i32) (param $n i32)
    (local $end i32) (local $stop i32)
    (local $v v128) (local $even v128) (local $odd v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $end (i32.add (local.get $p) (local.get $n)))
    (block $done
      (loop $outer
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $stop (i32.add (local.get $p) (i32.const 4096)))
        (if (i32.gt_u (local.get $stop) (local.get $end)) (then (local.set $stop (local.get $end))))
        (local.set $even (v128.const i32x4 0 0 0 0))
        (local.set $odd (v128.const i32x4 0 0 0 0))
        (loop $inner
          (local.set $v (v128.load (local.get $p)))
          (local.set $even (i32x4.add (local.get $even)
            (v128.and (local.get $v) (v128.const i32x4 0x00ff00ff 0x00ff00ff 0x00ff00ff 0x00ff00ff))))
          (local.set $odd (i32x4.add (local.get $odd)
            (v128.and (i32x4.shr_u (local.get $v) (i32.const 8)) (v128.const i32x4 0x00ff00ff 0x00ff00ff 0x00ff00ff 0x00ff00ff))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br_if $inner (i32.lt_u (local.get $p) (local.get $stop))))
        (local.set $t0 (i32x4.add (local.get $t0) (v128.and (local.get $even) (v128.const i32x4 0xffff 0xffff 0xffff 0xffff))))
        (local.set $t2 (i32x4.add (local.get $t2) (i32x4.shr_u (local.get $even) (i32.const 16))))
        (local.set $t1 (i32x4.add (local.get $t1) (v128.and (local.get $odd) (v128.const i32x4 0xffff 0xffff 0xffff 0xffff))))
        (local.set $t3 (i32x4.add (local.get $t3) (i32x4.shr_u (local.get $odd) (i32.const 16))))
        (br $outer)))
    (i32.store (i32.const 0) (call $hsum (local.get $t0)))
    (i32.store (i32.const 4) (call $hsum (local.get $t1)))
    (i32.store (i32.const 8) (call $hsum (local.get $t2)))
    (i32.store (i32.const 12) (call $hsum (local.get $t3)))))
