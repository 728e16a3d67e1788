#pragma once

#include <QRegularExpression>
#include <QString>

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
};

EcmaRegex compileEcmaRegex(const QString &pattern);
// Searches UTF-8 text (JSON Schema patterns are not anchored). A leading
// U+FEFF stays part of the text, as ECMA-262 sees it.
bool ecmaSearch(const QRegularExpression &regex, std::string_view utf8);

} // namespace portolan::jsonschema
