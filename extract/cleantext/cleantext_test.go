package cleantext

import (
	"strings"
	"testing"
)

func TestCollapse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  **Finalité** :\u00a0 payer  les\nagents ", "Finalité : payer les agents"},
		{"1<sup>er</sup> mars", "1er mars"},
		{"a<br>b", "ab"},
		{"", ""},
	}
	for _, tt := range tests {
		got, pos := Collapse(tt.in, 100)
		if got != tt.want || len(pos) != len(got) {
			t.Errorf("Collapse(%q) = %q (%d positions), want %q", tt.in, got, len(pos), tt.want)
		}
	}
}

func FuzzCollapse(f *testing.F) {
	f.Add("**a**  b\u00a0c<sup>1</sup>")
	f.Fuzz(func(t *testing.T, src string) {
		s, pos := Collapse(src, 7)
		if len(pos) != len(s) {
			t.Fatalf("%d positions for %d bytes", len(pos), len(s))
		}
		for i, p := range pos {
			if p < 7 || p >= 7+len(src) {
				t.Fatalf("position %d out of the source", p)
			}
			if s[i] != ' ' && src[p-7] != s[i] {
				t.Fatalf("byte %d of the view is not the source byte at %d", i, p)
			}
		}
		if strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") {
			t.Fatalf("outer space kept in %q", s)
		}
	})
}
