package llm

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"spaced NIR with key", "NIR : 1 85 05 78 006 084 36.", "NIR : [NIR_1]."},
		{"compact NIR with key", "n° 185057800608436", "n° [NIR_1]"},
		{"NIR whose key does not check", "2 69 05 49 588 157 99", "[NIR_1]"},
		{"NIR without key", "2690549588157 (sans clé)", "[NIR_1] (sans clé)"},
		{"Corsican NIR", "1 72 03 2A 123 456 78", "[NIR_1]"},
		{"dotted NIR", "1.85.05.78.006.084.36", "[NIR_1]"},
		{"e-mail", "écrire à dpo.cramif@assurance-maladie.fr.", "écrire à [EMAIL_1]."},
		{"phone spaced", "au 01 40 05 32 64 ou", "au [TEL_1] ou"},
		{"phone dotted", "tél. 05.56.11.22.33", "tél. [TEL_1]"},
		{"phone +33", "+33 6 12 34 56 78", "[TEL_1]"},
		{"phone +33 (0)", "+33 (0)1 40 05 32 64", "[TEL_1]"},
		{"phone compact", "0612345678", "[TEL_1]"},
		{"IBAN spaced", "IBAN FR76 3000 6000 0112 3456 7890 189 BIC", "IBAN [IBAN_1] BIC"},
		{"IBAN compact", "FR7630006000011234567890189", "[IBAN_1]"},
		{"same value same placeholder", "a@b.fr puis a@b.fr et c@d.fr", "[EMAIL_1] puis [EMAIL_1] et [EMAIL_2]"},
		{"placeholder already in text", "[EMAIL_1] est un exemple ; vrai : x@y.fr", "[EMAIL_1] est un exemple ; vrai : [EMAIL_2]"},
		// Not identifiers: dates, years, article numbers, SIRET (14 digits),
		// short service numbers, upper-case words.
		{"ordinary numbers", "le 14/03/2022, article L. 215-1, SIRET 12345678901234, appelez le 3646, CNAM TS ACOSS MSA", "le 14/03/2022, article L. 215-1, SIRET 12345678901234, appelez le 3646, CNAM TS ACOSS MSA"},
		{"upper-case words are no IBAN", "FR12 ABCD EFGH IJKL", "FR12 ABCD EFGH IJKL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, red := Redact(tc.in)
			if got != tc.want {
				t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if back := red.Restore(got); back != tc.in {
				t.Errorf("Restore = %q, want %q", back, tc.in)
			}
		})
	}
}

func TestRedactionKinds(t *testing.T) {
	_, red := Redact("a@b.fr, 0612345678, FR7630006000011234567890189, 185057800608436")
	k := red.Kinds()
	if red.Count() != 4 || k["EMAIL"] != 1 || k["TEL"] != 1 || k["IBAN"] != 1 || k["NIR"] != 1 {
		t.Errorf("count %d kinds %v", red.Count(), k)
	}
}

// FuzzRedact: redaction gives the text back exactly through Restore, and
// what it sends holds no identifier shape.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		"NIR 1 85 05 78 006 084 36 et 185057800608436",
		"dpo@cramif.fr 01 40 05 32 64 +33 6 12 34 56 78",
		"FR76 3000 6000 0112 3456 7890 189",
		"[EMAIL_1] [TEL_2] a@b.fr",
		"2A 123 456 1 72 03 2A 123 456 78",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		red, tab := Redact(s)
		if back := tab.Restore(red); back != s {
			t.Fatalf("round trip: %q → %q → %q", s, red, back)
		}
		if ids := Identifiers(red); len(ids) > 0 {
			t.Fatalf("redacted %q still holds %v (from %q)", red, ids, s)
		}
		if tab.Count() == 0 && red != s {
			t.Fatalf("nothing redacted but text changed: %q → %q", s, red)
		}
		if strings.Count(red, "[") < tab.Count() {
			t.Fatalf("fewer placeholders than identifiers in %q", red)
		}
	})
}

func BenchmarkRedact(b *testing.B) {
	s := strings.Repeat("Contact : dpo@caisse.fr, 01 23 45 67 89, NIR 1 85 05 78 006 084 36, IBAN FR76 3000 6000 0112 3456 7890 189. Les données sont conservées cinq ans.\n", 50)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		red, tab := Redact(s)
		tab.Restore(red)
	}
}
