package extract

import "registre/extract/cramif"

// defaultParsers lists every layout parser, most specific first. Add a
// parser here when its sub-package lands.
func defaultParsers() []Parser {
	return []Parser{
		cramif.Parser{},
	}
}
