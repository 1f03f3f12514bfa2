package main

import (
	"registre/flags"
	"registre/pipeline"
)

// defaultChecker returns the flag engine every command uses.
func defaultChecker() pipeline.Checker { return flags.New() }
