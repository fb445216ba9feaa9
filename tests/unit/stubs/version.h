// Host-test stand-in for the generated out/version.h.
#define REEF_VERSION "test"
#define REEF_BUILD_DATE "2026-11-29"
#define REEF_COMPILER "host"
