#pragma once

#include <string_view>

namespace portolan::jsonschema {

enum class FormatCheck { Valid, Invalid, Unknown };

// Checks a string against a `format` JSON Schema and OpenAPI name: date-time,
// date, time, duration (RFC 3339), email (RFC 5321), idn-email (RFC 6531),
// hostname (RFC 1123), idn-hostname (IDNA 2008), ipv4, ipv6, uri,
// uri-reference (RFC 3986), iri, iri-reference (RFC 3987), uri-template
// (RFC 6570), json-pointer (RFC 6901), relative-json-pointer, uuid
// (RFC 4122), regex (ECMA-262). Unknown for formats it does not check.
FormatCheck checkFormat(std::string_view format, std::string_view value);
// OpenAPI's number formats: int32 and int64 are integers in their range.
FormatCheck checkNumberFormat(std::string_view format, std::string_view number);

} // namespace portolan::jsonschema
