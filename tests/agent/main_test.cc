#define BOOST_TEST_MODULE heartbeat agent unit tests
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>
