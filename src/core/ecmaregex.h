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
// Searches UTF-8 text with the regex engine; see ecmaSearch.
bool ecmaRegexSearch(const EcmaRegex &pattern, std::string_view utf8);

// Searches UTF-8 text (JSON Schema patterns are not anchored). A leading
// U+FEFF stays part of the text, as ECMA-262 sees it. Inline: literal
// patterns are checked against every member of every object, and most keys
// differ at the first byte.
inline bool ecmaSearch(const EcmaRegex &pattern, std::string_view utf8)
{
    if (!pattern.literalPrefix)
        return ecmaRegexSearch(pattern, utf8);
    const std::string_view literal = *pattern.literalPrefix;
    if (pattern.wholeText ? utf8.size() != literal.size() : utf8.size() < literal.size())
        return false;
    for (std::size_t i = 0; i < literal.size(); ++i) {
        if (utf8[i] != literal[i])
            return false;
    }
    return true;
}

} // namespace portolan::jsonschema
