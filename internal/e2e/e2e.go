// Package e2e holds end-to-end tests that cross several areas: a real paylink
// through cli.Run, driven over HTTP the way merchants and customers use it.
package e2e
