#pragma once

#include <QRegularExpression>
#include <QString>

#include <optional>
#include <string>
#include <string_view>

namespace portolan::jsonschema {

// JSON Schema patterns are ECMA-262 regular expressions (with the `u` flag);
// QRegularExpression is PCRE2, which differs: `$` also matches before a final
// newline, `.` crosses \r and U+2028, `\s` misses Unicode spaces, `\v` is a
// class, `\Z` `\A` `\h` `(?i)` and possessive quantifiers exist. This rewrites
// a pattern into PCRE with ECMA-262 meaning, or rejects it with the reason.
struct EcmaRegex {
    QRegularExpression regex;  // valid when error is empty
    QString error;
    // Set when the pattern is `^` and ASCII literal text (`^x-`), or that and
    // `$` (`^\$ref$`): such patterns guard every member of every object in
    // the OpenAPI schemas, and comparing bytes answers them without
    // converting the text to UTF-16 for the regex engine.
    std::optional<std::string> literalPrefix;
    bool wholeText = false;  // with `$`: the text must be the literal exactly
};

EcmaRegex compileEcmaRegex(const QString &pattern);
// Searches UTF-8 text (JSON Schema patterns are not anchored). A leading
// U+FEFF stays part of the text, as ECMA-262 sees it.
bool ecmaSearch(const EcmaRegex &pattern, std::string_view utf8);

} // namespace portolan::jsonschema
