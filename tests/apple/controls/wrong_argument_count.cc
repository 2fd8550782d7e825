// Control: the line that once broke the Mac build (a comment swallowed the
// second argument). It must NOT compile against tests/apple/include.
#include <IOKit/IOKitLib.h>

io_service_t Broken() { return IOServiceGetMatchingService(MACH_PORT_NULL); }
