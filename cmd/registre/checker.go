package main

import "registre/pipeline"

// defaultChecker returns the flag engine (nil until the flags package is
// wired).
func defaultChecker() pipeline.Checker { return nil }
