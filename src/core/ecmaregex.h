#pragma once

#include <QRegularExpression>
#include <QString>

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
// Searches (JSON Schema patterns are not anchored).
bool ecmaSearch(const QRegularExpression &regex, const QString &subject);

} // namespace portolan::jsonschema
