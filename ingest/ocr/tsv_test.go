package ocr

import (
	"strconv"
	"strings"
	"testing"
)

func tsvRow(level, block, par, line, word int, conf, text string) string {
	f := []string{itoa(level), "1", itoa(block), itoa(par), itoa(line), itoa(word), "0", "0", "10", "10", conf, text}
	return strings.Join(f, "\t")
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestParseTSV(t *testing.T) {
	head := "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
	tests := []struct {
		name  string
		rows  []string
		paras []para
		conf  int
	}{
		{"empty page", nil, nil, 0},
		{"one paragraph over two lines", []string{
			tsvRow(5, 1, 1, 1, 1, "90", "Nom"), tsvRow(5, 1, 1, 1, 2, "80", "du"),
			tsvRow(5, 1, 1, 2, 1, "70", "traitement"),
		}, []para{{text: "Nom du traitement"}}, 80},
		{"bullets split items, non-word rows ignored", []string{
			tsvRow(4, 1, 1, 1, 0, "-1", ""),
			tsvRow(5, 1, 1, 1, 1, "95", "•"), tsvRow(5, 1, 1, 1, 2, "95", "Finalité"),
			tsvRow(5, 1, 1, 2, 1, "85", "•"), tsvRow(5, 1, 1, 2, 2, "85", "Durée"),
			tsvRow(5, 2, 1, 1, 1, "-1", " "),
		}, []para{{text: "Finalité", bullet: true}, {text: "Durée", bullet: true}}, 90},
		{"blocks in order", []string{
			tsvRow(5, 2, 1, 1, 1, "60", "deux"), tsvRow(5, 1, 1, 1, 1, "60", "un"),
		}, []para{{text: "un"}, {text: "deux"}}, 60},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := head + "\n" + strings.Join(tt.rows, "\n")
			got, conf := parseTSV([]byte(in))
			if len(got) != len(tt.paras) {
				t.Fatalf("paras = %+v, want %+v", got, tt.paras)
			}
			for i := range got {
				if got[i] != tt.paras[i] {
					t.Errorf("para %d = %+v, want %+v", i, got[i], tt.paras[i])
				}
			}
			if conf != tt.conf {
				t.Errorf("conf = %d, want %d", conf, tt.conf)
			}
		})
	}
}

func FuzzParseTSV(f *testing.F) {
	f.Add([]byte("5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t96.5\tbonjour\n5\t1\t1\t1\t2\t1\t0\t0\t1\t1\tx\t•"))
	f.Add([]byte("\t\t\t\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		paras, conf := parseTSV(data)
		if conf < 0 && conf != 0 {
			t.Fatalf("negative confidence %d", conf)
		}
		for _, p := range paras {
			if strings.ContainsRune(p.text, '\n') {
				t.Fatalf("paragraph with a newline: %q", p.text)
			}
		}
	})
}

func TestLocatorRoundTrip(t *testing.T) {
	l := locator(3, 7, 88)
	m := reLocator.FindStringSubmatch(l)
	if m == nil || m[1] != "88" {
		t.Fatalf("locator %q does not parse back (%v)", l, m)
	}
}
