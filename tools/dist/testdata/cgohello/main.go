// A program that links the C library, standing in for the app binary in
// the packaging tests (it builds in a second, where the app takes a minute).
package main

// #include <stdio.h>
import "C"

func main() { C.puts(C.CString("hello")) }
