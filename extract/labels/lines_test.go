package labels

import (
	"strings"
	"testing"

	"registre"
)

// line is one printed line of a synthetic PDF paragraph.
type line struct {
	text  string
	right float64 // where the line ends on the page
	bold  bool
}

// pdfBlock builds a document with one paragraph made of lines, as a PDF
// reader that merged them would give it: the text joined by spaces and one
// run per line.
func pdfBlock(ls []line) (*registre.Document, registre.Block) {
	var text strings.Builder
	var runs []registre.Run
	for i, l := range ls {
		if i > 0 {
			text.WriteByte(' ')
		}
		s := text.Len()
		text.WriteString(l.text)
		runs = append(runs, registre.Run{Text: l.text, X: 60, Y: 100 + 14*float64(i), W: l.right - 60, Bold: l.bold, Start: s, End: text.Len()})
	}
	b := registre.NewBuilder("t.pdf", registre.FormatPDF, "")
	b.Add(registre.Block{Kind: registre.BlockParagraph, Text: text.String(), Runs: runs})
	doc := b.Doc()
	return doc, doc.Blocks[0]
}

func TestSplitLines(t *testing.T) {
	tests := []struct {
		name string
		ls   []line
		want []string
	}{
		{"label lines with wrapped values", []line{
			{"Nom du traitement : PROGRES", 300, false},
			{"Finalités : Calculer et verser les indemnités dues aux assurés en arrêt de", 560, false},
			{"travail.", 110, false},
			{"Base légale : obligation légale", 250, false},
		}, []string{"Nom du traitement : PROGRES", "Finalités : Calculer et verser les indemnités dues aux assurés en arrêt de travail.", "Base légale : obligation légale"}},
		{"a short line ends its item", []line{
			{"1. Accidents du travail", 300, true},
			{"Finalité : Indemniser les victimes des accidents du travail et des maladies", 560, false},
			{"professionnelles.", 150, false},
			{"Destinataires :", 120, false},
			{"Durée de conservation : 10 ans", 200, false},
			{"Acte réglementaire (PDF, 212 Ko)", 200, false},
		}, []string{"1. Accidents du travail", "Finalité : Indemniser les victimes des accidents du travail et des maladies professionnelles.", "Destinataires :", "Durée de conservation : 10 ans", "Acte réglementaire (PDF, 212 Ko)"}},
		{"prose with one label stays whole", []line{
			{"Finalité : répondre aux messages que vous envoyez depuis le formulaire de", 560, false},
			{"contact du site, dans un délai d'un mois.", 300, false},
		}, []string{"Finalité : répondre aux messages que vous envoyez depuis le formulaire de contact du site, dans un délai d'un mois."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, b := pdfBlock(tt.ls)
			parts := SplitLines(doc, b, nil)
			var got []string
			for _, p := range parts {
				if doc.Text[p.Start:p.End] != p.Text {
					t.Errorf("block %q: span text %q differs", p.Text, doc.Text[p.Start:p.End])
				}
				got = append(got, p.Text)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("blocks = %q\nwant %q", got, tt.want)
			}
			if tt.ls[0].bold && len(parts) > 1 && !parts[0].Bold {
				t.Errorf("bold first line not marked bold")
			}
		})
	}
}

func FuzzSplitLines(f *testing.F) {
	f.Add("Nom du traitement : X\nFinalité : Y\nsuite", 300.0)
	f.Add("Destinataires :\nInterne : a\n\n", 50.0)
	f.Fuzz(func(t *testing.T, s string, right float64) {
		var ls []line
		for i, l := range strings.Split(s, "\n") {
			ls = append(ls, line{text: l, right: right + float64(i%3)*100})
		}
		doc, b := pdfBlock(ls)
		for _, p := range SplitLines(doc, b, nil) {
			if p.Start < b.Start || p.End > b.End || p.Start > p.End || doc.Text[p.Start:p.End] != p.Text {
				t.Fatalf("block %d-%d %q out of its paragraph %d-%d", p.Start, p.End, p.Text, b.Start, b.End)
			}
		}
	})
}

func TestCuts(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Données traitées : identité, NIR, règlements Destinataires :",
			[]string{"Données traitées : identité, NIR, règlements ", "Destinataires :"}},
		{"Finalité(s) du traitement : Tenir le dossier des patients. Fondement juridique : mission d'intérêt public ; article 9.2.h du RGPD",
			[]string{"Finalité(s) du traitement : Tenir le dossier des patients. ", "Fondement juridique : mission d'intérêt public ; article 9.2.h du RGPD"}},
		{"Nom du traitement : X Durée de conservation des données : 5 ans Sous-traitants : non",
			[]string{"Nom du traitement : X ", "Durée de conservation des données : 5 ans ", "Sous-traitants : non"}},
		// Sub-labels that are no field stay in the value.
		{"Mesures de sécurité : Techniques : chiffrement. Organisationnelles : habilitations.",
			[]string{"Mesures de sécurité : Techniques : chiffrement. Organisationnelles : habilitations."}},
		// Prose that does not start with a label is left whole.
		{"Pour exercer vos droits, écrivez au délégué à la protection des données : dpo@x.fr",
			[]string{"Pour exercer vos droits, écrivez au délégué à la protection des données : dpo@x.fr"}},
	}
	for _, tt := range tests {
		var got []string
		prev := 0
		for _, c := range append(Cuts(tt.in), len(tt.in)) {
			got = append(got, tt.in[prev:c])
			prev = c
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Cuts(%q) parts = %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func FuzzCuts(f *testing.F) {
	f.Add("Finalité : a Destinataires : b")
	f.Add("Nom du traitement :: : Durée de conservation :")
	f.Fuzz(func(t *testing.T, s string) {
		prev := 0
		for _, c := range Cuts(s) {
			if c <= prev || c >= len(s) {
				t.Fatalf("Cuts(%q) = %v: not increasing inside the text", s, Cuts(s))
			}
			prev = c
		}
	})
}
