// The part of ApplicationServices (CoreGraphics) that the agent uses, as the macOS SDK declares
// it (see tests/apple/README.md).
#pragma once

#include <CoreFoundation/CoreFoundation.h>

extern "C" {

// CoreGraphics/CGSession.h: the current login session's dictionary, or NULL outside one.
CFDictionaryRef CGSessionCopyCurrentDictionary(void);

}  // extern "C"
