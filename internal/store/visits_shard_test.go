package store

import "testing"

// TestTakeVisitShard checks that visit statements running at once hold
// different shards: a writer that starts again while the other still runs
// takes the shard it released, not the other's (which made the two PostgreSQL
// visit writers wait on each other's counter rows).
func TestTakeVisitShard(t *testing.T) {
	s := &Store{}
	a, releaseA := s.takeVisitShard()
	b, releaseB := s.takeVisitShard()
	if a != counterShards || b != counterShards+1 {
		t.Fatalf("shards %d and %d, want %d and %d", a, b, counterShards, counterShards+1)
	}
	releaseA()
	if again, release := s.takeVisitShard(); again != a {
		t.Fatalf("after a release: shard %d, want %d (the other holds %d)", again, a, b)
	} else {
		release()
	}
	releaseB()
	var releases []func()
	for i := range counterShards {
		sh, release := s.takeVisitShard()
		if sh != int16(counterShards+i) {
			t.Fatalf("statement %d: shard %d, want %d", i, sh, counterShards+i)
		}
		releases = append(releases, release)
	}
	if sh, release := s.takeVisitShard(); sh != 2*counterShards-1 {
		t.Fatalf("every shard held: shard %d, want the last, %d", sh, 2*counterShards-1)
	} else {
		release()
	}
	for _, release := range releases {
		release()
	}
	if held := s.visitShards.Load(); held != 0 {
		t.Fatalf("after every release: held %b, want none", held)
	}
}
