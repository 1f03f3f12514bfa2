package normalize

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var frenchMonths = map[string]int{
	"janvier": 1, "janv": 1, "jan": 1,
	"fevrier": 2, "fevr": 2, "fev": 2, "fevier": 2,
	"mars":  3,
	"avril": 4, "avr": 4,
	"mai":     5,
	"juin":    6,
	"juillet": 7, "juil": 7,
	"aout":      8,
	"septembre": 9, "sept": 9, "sep": 9,
	"octobre": 10, "oct": 10,
	"novembre": 11, "nov": 11,
	"decembre": 12, "dec": 12,
}

var (
	// "6 décembre 1993", "1er mars 1994", "05 novembre 2018", "1 er mars".
	reDayMonthYear = regexp.MustCompile(`\b(\d{1,2})\s*(?:er|ere|eme|e)?\s+([a-z]+)\.?\s+(\d{4})\b`)
	// "mars 2009", "Janvier 2005".
	reMonthYear = regexp.MustCompile(`\b([a-z]+)\.?\s+(\d{4})\b`)
	// "28/07/2014", "28-07-2014", "28.07.2014", "02/07/19".
	reNumeric = regexp.MustCompile(`\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b`)
	// "2009-03-28", "2009-03", "2009/03".
	reISO = regexp.MustCompile(`\b(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?\b`)
	// "03/2009".
	reMonthSlashYear = regexp.MustCompile(`\b(\d{1,2})[/.](\d{4})\b`)
	reYear           = regexp.MustCompile(`\b(1[89]\d{2}|2[01]\d{2})\b`)
)

// Date reads the first date of s as an ISO date, possibly partial: "6
// décembre 1993" → 1993-12-06, "1er mars 1994" → 1994-03-01, "28/07/2014"
// → 2014-07-28, "02/07/19" → 2019-07-02, "mars 2009" → 2009-03, "1998" →
// 1998, "2009-03" → 2009-03. It reports false when s holds no date.
func Date(s string) (string, bool) {
	f := fold(s)
	// Ordinals written with markup or superscript ("1<sup>er</sup>").
	f = strings.NewReplacer("<sup>", "", "</sup>", "", "ᵉʳ", "er", "ᵉ", "e").Replace(f)
	type cand struct {
		pos int
		iso string
	}
	var best *cand
	consider := func(pos int, iso string) {
		if iso == "" {
			return
		}
		if best == nil || pos < best.pos {
			best = &cand{pos, iso}
		}
	}
	for _, m := range reDayMonthYear.FindAllStringSubmatchIndex(f, -1) {
		d, _ := strconv.Atoi(f[m[2]:m[3]])
		mo, ok := frenchMonths[f[m[4]:m[5]]]
		y, _ := strconv.Atoi(f[m[6]:m[7]])
		if ok {
			consider(m[0], ymd(y, mo, d))
			break
		}
	}
	for _, m := range reNumeric.FindAllStringSubmatchIndex(f, -1) {
		d, _ := strconv.Atoi(f[m[2]:m[3]])
		mo, _ := strconv.Atoi(f[m[4]:m[5]])
		ys := f[m[6]:m[7]]
		y, _ := strconv.Atoi(ys)
		if len(ys) == 2 {
			// Two-digit years: registers date from the 1970s on.
			if y < 70 {
				y += 2000
			} else {
				y += 1900
			}
		}
		iso := ymd(y, mo, d)
		if iso == "" {
			// "32/13/2014" is a malformed date, not a year.
			if best == nil {
				return "", false
			}
			break
		}
		consider(m[0], iso)
		break
	}
	for _, m := range reISO.FindAllStringSubmatchIndex(f, -1) {
		y, _ := strconv.Atoi(f[m[2]:m[3]])
		mo, _ := strconv.Atoi(f[m[4]:m[5]])
		if m[6] >= 0 {
			d, _ := strconv.Atoi(f[m[6]:m[7]])
			if iso := ymd(y, mo, d); iso != "" {
				consider(m[0], iso)
				break
			}
			continue
		}
		if iso := ym(y, mo); iso != "" {
			consider(m[0], iso)
			break
		}
	}
	if best != nil {
		return best.iso, true
	}
	for _, m := range reMonthYear.FindAllStringSubmatchIndex(f, -1) {
		mo, ok := frenchMonths[f[m[2]:m[3]]]
		y, _ := strconv.Atoi(f[m[4]:m[5]])
		if ok {
			if iso := ym(y, mo); iso != "" {
				consider(m[0], iso)
				break
			}
		}
	}
	for _, m := range reMonthSlashYear.FindAllStringSubmatchIndex(f, -1) {
		mo, _ := strconv.Atoi(f[m[2]:m[3]])
		y, _ := strconv.Atoi(f[m[4]:m[5]])
		if iso := ym(y, mo); iso != "" {
			consider(m[0], iso)
			break
		}
	}
	if best != nil {
		return best.iso, true
	}
	if m := reYear.FindStringIndex(f); m != nil {
		return f[m[0]:m[1]], true
	}
	return "", false
}

func validYear(y int) bool { return y >= 1900 && y <= 2199 }

func ym(y, m int) string {
	if !validYear(y) || m < 1 || m > 12 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", y, m)
}

var monthDays = [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func ymd(y, m, d int) string {
	if !validYear(y) || m < 1 || m > 12 || d < 1 || d > monthDays[m] {
		return ""
	}
	if m == 2 && d == 29 && !(y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}
