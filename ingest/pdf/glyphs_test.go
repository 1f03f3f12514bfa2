package pdf

import (
	"math"
	"testing"
)

// sameFloat: equal bit for bit (so +0 and −0 differ), or both NaN.
func sameFloat(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
}

// FuzzAffineFastPath checks that show's per-glyph arithmetic (origin,
// translate) gives exactly what the general matrix product gives, for the
// matrices it is used on: glyph positions must not move by one bit, or a
// rounding in the layout could change the text.
func FuzzAffineFastPath(f *testing.F) {
	f.Add(1.0, 0.0, 0.0, 1.0, 72.0, 700.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 12.0, 1.0, 0.0, 6.672)
	f.Add(0.0, 1.0, -1.0, 0.0, 100.5, 20.25, 0.75, 0.0, 0.0, -0.75, 0.0, 842.0, 9.0, 0.9, 2.5, 3.1)
	f.Add(math.Copysign(0, -1), 1.0, -1.0, math.Copysign(0, -1), 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 10.0, 1.0, -3.0, 0.0)
	f.Add(1e300, 1e-300, 3.0, 1e300, 1e308, -1e308, 1e10, 0.0, 0.0, 1e10, 5.0, 7.0, 1e300, 1e10, 1e300, 1e308)
	f.Fuzz(func(t *testing.T, a, b, c, d, e, ff, ca, cb, cc, cd, ce, cf, tfs, th, rise, tx float64) {
		tm := matrix{{a, b, 0}, {c, d, 0}, {e, ff, 1}}
		ctm := matrix{{ca, cb, 0}, {cc, cd, 0}, {ce, cf, 1}}
		sm := matrix{{tfs * th, 0, 0}, {0, tfs, 0}, {0, rise, 1}}
		if !sm.affine() || !tm.affine() || !ctm.affine() {
			return // show takes mul then
		}
		want := sm.mul(tm).mul(ctm)
		x, y := origin(rise, &tm, &ctm)
		if !sameFloat(x, want[2][0]) || !sameFloat(y, want[2][1]) {
			t.Fatalf("origin = %v, %v; mul gives %v, %v", x, y, want[2][0], want[2][1])
		}
		if !finite(tx) {
			return
		}
		moved := matrix{{1, 0, 0}, {0, 1, 0}, {tx, 0, 1}}.mul(tm)
		tm.translate(tx)
		for i := range 3 {
			for j := range 3 {
				if !sameFloat(tm[i][j], moved[i][j]) {
					t.Fatalf("translate: [%d][%d] = %v, mul gives %v", i, j, tm[i][j], moved[i][j])
				}
			}
		}
		// The rows show computes once per string stay what mul gives
		// after the move.
		if tm.affine() {
			again := sm.mul(tm).mul(ctm)
			for i := range 2 {
				for j := range 3 {
					if !sameFloat(again[i][j], want[i][j]) {
						t.Fatalf("row %d moved with the translation: %v, was %v", i, again[i], want[i])
					}
				}
			}
		}
	})
}
