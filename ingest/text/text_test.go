package text

import (
	"context"
	"fmt"
	"strconv"
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
			texts:  []string{"Registre", "Responsable de traitement : le directeur", "DPO : dpo@x.fr"},
		},
		{
			name: "markdown emphasis, superscripts and hard breaks", path: "r.md",
			in:     "## ***Décision n°14-04 5<sup>ème</sup> modification***\n\n*Gérer les situations de fragilité au regard de l'accès  \naux droits et aux soins*\n\n**Article 5 :**\n\nun * seul, 2 \\* 3\n",
			format: registre.FormatMD,
			kinds:  []registre.BlockKind{registre.BlockHeading, registre.BlockParagraph, registre.BlockParagraph, registre.BlockParagraph},
			levels: []int{2, 0, 0, 0},
			texts:  []string{"Décision n°14-04 5ème modification", "Gérer les situations de fragilité au regard de l'accès aux droits et aux soins", "Article 5 :", "un * seul, 2 * 3"},
		},
		{
			name: "plain text keeps its stars and tab-indented lines", path: "r.txt",
			in:     "*Titre*\n\tDate de la demande \t2 juillet 2019\nNom\tValeur\n",
			format: registre.FormatTXT,
			kinds:  []registre.BlockKind{registre.BlockParagraph, registre.BlockParagraph, registre.BlockParagraph},
			levels: []int{0, 0, 0},
			texts:  []string{"*Titre*", "Date de la demande \t2 juillet 2019", "Nom\tValeur"},
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
	f.Add("# T\nSous-finalités\tFondements\n<ul><li>• a<ul><li>– b <a href=x>c</a></li></ul></li></ul>\t\n\t<p><b>L</b></p> x<br>**y**  \nz*\n")
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := Read(context.Background(), "f.md", []byte(s))
		if err != nil {
			t.Fatal(err)
		}
		checkSpans(t, doc)
	})
}

// cellTexts lists a table's cells as "kind/level:text" per block, "|" between
// blocks, so that a case states the whole structure on one line.
func cellTexts(t registre.Block) [][]string {
	var out [][]string
	for _, row := range t.Rows {
		var r []string
		for _, c := range row {
			var parts []string
			for _, b := range c.Blocks {
				k := "p"
				if b.Kind == registre.BlockListItem {
					k = "li" + strconv.Itoa(b.Level)
				}
				if b.Bold {
					k += "b"
				}
				parts = append(parts, k+":"+b.Text)
			}
			r = append(r, strings.Join(parts, "|"))
		}
		out = append(out, r)
	}
	return out
}

func TestReadTables(t *testing.T) {
	tests := []struct {
		name, path, in string
		want           [][][]string // per table, per row, per cell
		paragraphs     []string     // the other blocks' texts
	}{
		{
			name: "tab-separated label row and HTML list row", path: "r.md",
			in: "# T\n\nSous-finalités\tFondements juridiques\n" +
				`<ul style="list-style-type: none"><li>• A &amp; B</li><li>C<ul style="x"><li>– D</li></ul></li></ul>` + "\t" +
				`<ul><li>Le 1<sup>er</sup> **article**</li></ul>` + "\n",
			want: [][][]string{{
				{"p:Sous-finalités", "p:Fondements juridiques"},
				{"li0:A & B|li0:C|li1:D", "li0:Le 1er article"},
			}},
			paragraphs: []string{"T"},
		},
		{
			name: "label inside the cell, empty cells, consecutive rows", path: "r.md",
			in: "# T\n\n" + `<p><b>Durée de conservation</b></p> <ul> <li>• 5 ans</li> </ul>` + "\t" + `<p><b>Droits</b></p>` + "\n" +
				`<b>Justification</b>` + "\t\n" +
				"\t" + `<ul><li>x</li></ul>` + "\n\nFin\n",
			want: [][][]string{{
				{"pb:Durée de conservation|li0:5 ans", "pb:Droits"},
				{"pb:Justification", ""},
				{"", "li0:x"},
			}},
			paragraphs: []string{"T", "Fin"},
		},
		{
			name: "a trailing tab alone is no table", path: "r.md",
			in:         "# T\n\nun texte\t\n",
			paragraphs: []string{"T", "un texte"},
		},
		{
			name: "pipe table with line breaks and emphasis in cells", path: "r.md",
			in: "| A | B |\n|---|---|\n| x<br>y | **z** |\n",
			want: [][][]string{{
				{"p:A", "p:B"},
				{"p:x|p:y", "pb:z"},
			}},
		},
		{
			name: "plain text: a clean tab-separated table", path: "r.txt",
			in: "Nom\tValeur\nSNTRP\t*5 ans*\n",
			want: [][][]string{{
				{"p:Nom", "p:Valeur"},
				{"p:SNTRP", "p:5 ans"},
			}},
		},
		{
			name: "plain text: tab-indented form lines stay lines", path: "r.txt",
			in:         "\t\tDate de la demande \t2 juillet 2019\n\t\tNature\tInitiale\n",
			paragraphs: []string{"Date de la demande \t2 juillet 2019", "Nature\tInitiale"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Read(context.Background(), tt.path, []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			var tables [][][]string
			var paras []string
			for _, b := range doc.Blocks {
				if b.Kind == registre.BlockTable {
					tables = append(tables, cellTexts(b))
					continue
				}
				paras = append(paras, b.Text)
			}
			if fmt.Sprint(tables) != fmt.Sprint(tt.want) {
				t.Errorf("tables\n got %q\nwant %q", tables, tt.want)
			}
			if fmt.Sprint(paras) != fmt.Sprint(tt.paragraphs) {
				t.Errorf("other blocks %q, want %q", paras, tt.paragraphs)
			}
			checkSpans(t, doc)
		})
	}
}

// A link inside a cell keeps its target and its span.
func TestReadCellLink(t *testing.T) {
	in := "# T\n\n" + `<ul><li>Voir <a href="http://ameli.fr">ameli.fr</a> ici</li></ul>` + "\tx\n"
	doc, err := Read(context.Background(), "r.md", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	b := doc.Blocks[1].Rows[0][0].Blocks[0]
	if b.Text != "Voir ameli.fr ici" || len(b.Links) != 1 || b.Links[0].Href != "http://ameli.fr" || doc.Text[b.Links[0].Start:b.Links[0].End] != "ameli.fr" {
		t.Errorf("block %+v", b)
	}
}

// checkSpans: every block, cell and link is found at its span.
func checkSpans(t *testing.T, doc *registre.Document) {
	t.Helper()
	var check func(b registre.Block)
	check = func(b registre.Block) {
		if b.Start < 0 || b.End > len(doc.Text) || b.Start > b.End {
			t.Fatalf("span %d-%d out of %d", b.Start, b.End, len(doc.Text))
		}
		if b.Kind != registre.BlockTable && doc.Text[b.Start:b.End] != b.Text {
			t.Fatalf("block text %q, span holds %q", b.Text, doc.Text[b.Start:b.End])
		}
		for _, l := range b.Links {
			if l.Start < b.Start || l.End > b.End || l.Start > l.End || doc.Text[l.Start:l.End] != l.Text {
				t.Fatalf("link %+v outside its block %d-%d", l, b.Start, b.End)
			}
		}
		for _, l := range b.Labels {
			if l.Start < b.Start || l.End > b.End || l.Start > l.End {
				t.Fatalf("label %+v outside its block %d-%d", l, b.Start, b.End)
			}
		}
		for _, row := range b.Rows {
			for _, c := range row {
				// An empty last cell sits on the newline after its
				// table (the Builder ends a table before that newline).
				if c.Start < b.Start || c.End > b.End+1 || c.Start > c.End {
					t.Fatalf("cell %d-%d outside its table %d-%d", c.Start, c.End, b.Start, b.End)
				}
				for _, cb := range c.Blocks {
					check(cb)
				}
			}
		}
	}
	for _, b := range doc.Blocks {
		check(b)
	}
}
