# apps/selftest's build settings (read by the Makefile): link the in-guest self-tests
# (tests/kernel/) and their runner (lib/selftest.c). Only the test image carries them.
APP_SELFTESTS := 1
# probe=explain's node explanations (platform/explain.c): the image `make run` boots has them.
APP_EXPLAIN := 1
