package extract

import (
	"registre/extract/cnam"
	"registre/extract/cramif"
	"registre/extract/decision"
	"registre/extract/form"
	"registre/extract/sheet"
)

// defaultParsers lists every layout parser, most specific first. Add a
// parser here when its sub-package lands.
func defaultParsers() []Parser {
	return []Parser{
		cnam.Parser{},
		cramif.Parser{},
		decision.Parser{},
		form.Parser{},
		sheet.Parser{},
	}
}
