// Host-test stand-in for the generated out/version.h.
#define REEF_RELEASE_MAJOR 2 // not the real release, so that a test
#define REEF_RELEASE_MINOR 7 //   sees whether the macros are used
#define REEF_VERSION "test"
#define REEF_BUILD_DATE "2026-11-29"
#define REEF_COMPILER "host"
