// Control: <endian.h> is glibc's; macOS has <machine/endian.h> and <libkern/OSByteOrder.h>. It
// must not build for a Mac.
#include <endian.h>

unsigned long long ToBigEndian(unsigned long long value) { return htobe64(value); }
