// The one main() of the unit tests.
#define BOOST_TEST_MODULE heartbeat unit tests
#include "test_support.h"
