// Package holdout holds no code: its test runs the whole pipeline over the
// hold-out documents of fixtures/holdout — registers, forms and sheets
// written after the parsers, in wordings, orders and formats the parsers
// were never fitted to — and checks they come out as well as the bundled
// corpus.
package holdout
