package text

import (
	"context"
	"strings"
	"testing"

	"registre"
)

func TestRead(t *testing.T) {
	tests := []struct {
		name, path, in string
		format         registre.Format
		kinds          []registre.BlockKind
		levels         []int
		texts          []string
	}{
		{
			name: "bullets with indentation", path: "r.txt",
			in:     "SNTRP\n\n  • Nom du traitement : SNTRP\n    • Interne : Service\n    Mesures : x\n  •  \n",
			format: registre.FormatTXT,
			kinds:  []registre.BlockKind{registre.BlockParagraph, registre.BlockListItem, registre.BlockListItem, registre.BlockParagraph},
			levels: []int{0, 1, 2, 0},
			texts:  []string{"SNTRP", "Nom du traitement : SNTRP", "Interne : Service", "Mesures : x"},
		},
		{
			name: "markdown headings, lists and table", path: "r.md",
			in:     "# Registre\n\n- Finalité : a\n  - sous\n\n| Champ | Valeur |\n|---|---|\n| Nom | X |\n",
			format: registre.FormatMD,
			kinds:  []registre.BlockKind{registre.BlockHeading, registre.BlockListItem, registre.BlockListItem, registre.BlockTable},
			levels: []int{1, 0, 1, 0},
			texts:  []string{"Registre", "Finalité : a", "sous", ""},
		},
		{
			name: "markdown blockquote read as its text", path: "r.md",
			in:     "# Registre\n\n> **Responsable de traitement** : le directeur\n>\n> > DPO : dpo@x.fr\n",
			format: registre.FormatMD,
			kinds:  []registre.BlockKind{registre.BlockHeading, registre.BlockParagraph, registre.BlockParagraph},
			levels: []int{1, 0, 0},
			texts:  []string{"Registre", "**Responsable de traitement** : le directeur", "DPO : dpo@x.fr"},
		},
		{
			name: "underlined titles", path: "r.txt",
			in:     "Traitement n° 12 : PLAINTES\n---------------\n\nFinalité ..... : Suivre\n\nREGISTRE\n========\n- a\n\nTexte\n\n---\n",
			format: registre.FormatTXT,
			kinds:  []registre.BlockKind{registre.BlockHeading, registre.BlockParagraph, registre.BlockHeading, registre.BlockListItem, registre.BlockParagraph, registre.BlockParagraph},
			levels: []int{2, 0, 1, 0, 0, 0},
			texts:  []string{"Traitement n° 12 : PLAINTES", "Finalité ..... : Suivre", "REGISTRE", "a", "Texte", "---"},
		},
		{
			name: "a plain text line may start with >", path: "r.txt",
			in:     "> 5 ans\n",
			format: registre.FormatTXT,
			kinds:  []registre.BlockKind{registre.BlockParagraph},
			levels: []int{0},
			texts:  []string{"> 5 ans"},
		},
		{
			name: "windows-1252 and CRLF", path: "r.txt",
			in:     "Donn\xe9es de sant\xe9\r\nDur\xe9e : 5 ans\r\n",
			format: registre.FormatTXT,
			kinds:  []registre.BlockKind{registre.BlockParagraph, registre.BlockParagraph},
			levels: []int{0, 0},
			texts:  []string{"Données de santé", "Durée : 5 ans"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Read(context.Background(), tt.path, []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Format != tt.format {
				t.Errorf("format = %s, want %s", doc.Format, tt.format)
			}
			if len(doc.Blocks) != len(tt.kinds) {
				t.Fatalf("got %d blocks %+v, want %d", len(doc.Blocks), doc.Blocks, len(tt.kinds))
			}
			for i, b := range doc.Blocks {
				if b.Kind != tt.kinds[i] || b.Level != tt.levels[i] || (tt.texts[i] != "" && b.Text != tt.texts[i]) {
					t.Errorf("block %d = %s/%d %q, want %s/%d %q", i, b.Kind, b.Level, b.Text, tt.kinds[i], tt.levels[i], tt.texts[i])
				}
				if b.Kind != registre.BlockTable && doc.Text[b.Start:b.End] != b.Text {
					t.Errorf("block %d span text %q != %q", i, doc.Text[b.Start:b.End], b.Text)
				}
			}
			if last := doc.Blocks[len(doc.Blocks)-1]; last.Kind == registre.BlockTable {
				if len(last.Rows) != 2 || last.Rows[1][1].Text() != "X" {
					t.Errorf("table rows = %+v", last.Rows)
				}
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	f.Add("a\n  • b\n| x |\n|---|\n| y | z |\n")
	f.Add("# t\n\xff\xfe")
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := Read(context.Background(), "f.md", []byte(s))
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range doc.Blocks {
			if b.Start < 0 || b.End > len(doc.Text) || b.Start > b.End {
				t.Fatalf("span %d-%d out of %d", b.Start, b.End, len(doc.Text))
			}
			if b.Kind != registre.BlockTable && !strings.HasPrefix(doc.Text[b.Start:], b.Text) {
				t.Fatalf("block text not at its span")
			}
		}
	})
}
