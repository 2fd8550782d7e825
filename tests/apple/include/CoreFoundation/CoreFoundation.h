// The part of CoreFoundation that the agent uses, as the macOS SDK declares it (see
// tests/apple/README.md). Each block names the SDK header it stands for.
#pragma once

// Boolean, SInt32, UInt32: Apple's own MacTypes.h, which CoreFoundation/CFBase.h includes.
#include <MacTypes.h>
#include <stdint.h>

extern "C" {

// CoreFoundation/CFBase.h
typedef signed long CFIndex;
typedef unsigned long CFTypeID;
typedef const void* CFTypeRef;
typedef const struct __CFString* CFStringRef;
typedef const struct __CFAllocator* CFAllocatorRef;
extern const CFAllocatorRef kCFAllocatorDefault;
CFTypeID CFGetTypeID(CFTypeRef cf);
void CFRelease(CFTypeRef cf);

// CoreFoundation/CFString.h. clang defines __CONSTANT_CFSTRINGS__ for Apple targets: a CFSTR
// literal is then built by the compiler and refers to CoreFoundation's
// __CFConstantStringClassReference.
CFStringRef __CFStringMakeConstantString(const char* cStr);
#ifdef __CONSTANT_CFSTRINGS__
#define CFSTR(cStr) ((CFStringRef)__builtin___CFStringMakeConstantString("" cStr ""))
#else
#define CFSTR(cStr) __CFStringMakeConstantString("" cStr "")
#endif

// CoreFoundation/CFString.h
typedef UInt32 CFStringEncoding;
enum : CFStringEncoding {  // CFStringBuiltInEncodings
  kCFStringEncodingUTF8 = 0x08000100,
};
CFTypeID CFStringGetTypeID(void);
Boolean CFStringGetCString(CFStringRef theString, char* buffer, CFIndex bufferSize,
                           CFStringEncoding encoding);

// CoreFoundation/CFArray.h
typedef const struct __CFArray* CFArrayRef;
CFIndex CFArrayGetCount(CFArrayRef theArray);
const void* CFArrayGetValueAtIndex(CFArrayRef theArray, CFIndex idx);

// CoreFoundation/CFDictionary.h
typedef const struct __CFDictionary* CFDictionaryRef;
typedef struct __CFDictionary* CFMutableDictionaryRef;
const void* CFDictionaryGetValue(CFDictionaryRef theDict, const void* key);

// CoreFoundation/CFNumber.h
typedef const struct __CFBoolean* CFBooleanRef;
CFTypeID CFBooleanGetTypeID(void);
Boolean CFBooleanGetValue(CFBooleanRef boolean);

typedef const struct __CFNumber* CFNumberRef;
enum CFNumberType : CFIndex {  // CF_ENUM(CFIndex, CFNumberType)
  kCFNumberSInt8Type = 1,
  kCFNumberSInt16Type = 2,
  kCFNumberSInt32Type = 3,
  kCFNumberSInt64Type = 4,
};
CFTypeID CFNumberGetTypeID(void);
Boolean CFNumberGetValue(CFNumberRef number, CFNumberType theType, void* valuePtr);

// CoreFoundation/CFDate.h
typedef double CFTimeInterval;

// CoreFoundation/CFRunLoop.h
typedef struct __CFRunLoop* CFRunLoopRef;
typedef struct __CFRunLoopSource* CFRunLoopSourceRef;
typedef CFStringRef CFRunLoopMode;
extern const CFRunLoopMode kCFRunLoopDefaultMode;
enum CFRunLoopRunResult : SInt32 {  // CF_ENUM(SInt32, CFRunLoopRunResult)
  kCFRunLoopRunFinished = 1,
  kCFRunLoopRunStopped = 2,
  kCFRunLoopRunTimedOut = 3,
  kCFRunLoopRunHandledSource = 4,
};
CFRunLoopRef CFRunLoopGetCurrent(void);
void CFRunLoopAddSource(CFRunLoopRef rl, CFRunLoopSourceRef source, CFRunLoopMode mode);
void CFRunLoopRemoveSource(CFRunLoopRef rl, CFRunLoopSourceRef source, CFRunLoopMode mode);
CFRunLoopRunResult CFRunLoopRunInMode(CFRunLoopMode mode, CFTimeInterval seconds,
                                      Boolean returnAfterSourceHandled);

}  // extern "C"
