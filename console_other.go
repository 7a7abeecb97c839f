//go:build !windows

package main

// useParentConsole is for Windows, where the program has no console of its
// own; elsewhere the command line has its terminal already.
func useParentConsole() {}
