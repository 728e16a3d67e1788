#include "ecmaregex.h"

#include <cctype>

namespace portolan::jsonschema {

namespace {

// ECMA-262 WhiteSpace and LineTerminator, the members of \s.
const QLatin1String kSpaceSet("\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}");

// Long Unicode property names ECMA-262 accepts that PCRE2 spells short.
QString pcrePropertyName(const QString &name)
{
    static const QHash<QString, QString> names = {
        {QStringLiteral("Letter"), QStringLiteral("L")}, {QStringLiteral("Cased_Letter"), QStringLiteral("L&")},
        {QStringLiteral("Uppercase_Letter"), QStringLiteral("Lu")}, {QStringLiteral("Lowercase_Letter"), QStringLiteral("Ll")},
        {QStringLiteral("Titlecase_Letter"), QStringLiteral("Lt")}, {QStringLiteral("Modifier_Letter"), QStringLiteral("Lm")},
        {QStringLiteral("Other_Letter"), QStringLiteral("Lo")}, {QStringLiteral("Mark"), QStringLiteral("M")},
        {QStringLiteral("Nonspacing_Mark"), QStringLiteral("Mn")}, {QStringLiteral("Spacing_Mark"), QStringLiteral("Mc")},
        {QStringLiteral("Enclosing_Mark"), QStringLiteral("Me")}, {QStringLiteral("Number"), QStringLiteral("N")},
        {QStringLiteral("Decimal_Number"), QStringLiteral("Nd")}, {QStringLiteral("digit"), QStringLiteral("Nd")},
        {QStringLiteral("Letter_Number"), QStringLiteral("Nl")}, {QStringLiteral("Other_Number"), QStringLiteral("No")},
        {QStringLiteral("Punctuation"), QStringLiteral("P")}, {QStringLiteral("punct"), QStringLiteral("P")},
        {QStringLiteral("Connector_Punctuation"), QStringLiteral("Pc")}, {QStringLiteral("Dash_Punctuation"), QStringLiteral("Pd")},
        {QStringLiteral("Open_Punctuation"), QStringLiteral("Ps")}, {QStringLiteral("Close_Punctuation"), QStringLiteral("Pe")},
        {QStringLiteral("Initial_Punctuation"), QStringLiteral("Pi")}, {QStringLiteral("Final_Punctuation"), QStringLiteral("Pf")},
        {QStringLiteral("Other_Punctuation"), QStringLiteral("Po")}, {QStringLiteral("Symbol"), QStringLiteral("S")},
        {QStringLiteral("Math_Symbol"), QStringLiteral("Sm")}, {QStringLiteral("Currency_Symbol"), QStringLiteral("Sc")},
        {QStringLiteral("Modifier_Symbol"), QStringLiteral("Sk")}, {QStringLiteral("Other_Symbol"), QStringLiteral("So")},
        {QStringLiteral("Separator"), QStringLiteral("Z")}, {QStringLiteral("Space_Separator"), QStringLiteral("Zs")},
        {QStringLiteral("Line_Separator"), QStringLiteral("Zl")}, {QStringLiteral("Paragraph_Separator"), QStringLiteral("Zp")},
        {QStringLiteral("Other"), QStringLiteral("C")}, {QStringLiteral("Control"), QStringLiteral("Cc")},
        {QStringLiteral("cntrl"), QStringLiteral("Cc")}, {QStringLiteral("Format"), QStringLiteral("Cf")},
        {QStringLiteral("Surrogate"), QStringLiteral("Cs")}, {QStringLiteral("Private_Use"), QStringLiteral("Co")},
        {QStringLiteral("Unassigned"), QStringLiteral("Cn")},
    };
    QString n = name;
    for (const QLatin1String prefix : {QLatin1String("General_Category="), QLatin1String("gc="),
                                       QLatin1String("Script="), QLatin1String("sc="),
                                       QLatin1String("Script_Extensions="), QLatin1String("scx=")}) {
        if (n.startsWith(prefix)) {
            n = n.mid(prefix.size());
            break;
        }
    }
    return names.value(n, n);
}

class Translator {
public:
    explicit Translator(const QString &pattern) : m_in(pattern) {}

    EcmaRegex run()
    {
        while (m_pos < m_in.size() && m_error.isEmpty())
            atom();
        if (m_error.isEmpty() && m_depth != 0)
            m_error = QStringLiteral("unbalanced parenthesis");
        EcmaRegex result;
        if (!m_error.isEmpty()) {
            result.error = m_error;
            return result;
        }
        // No UseUnicodePropertiesOption: \d \w \b stay ASCII as in ECMA-262.
        // The match limit ends catastrophic backtracking ("(a+)+$") in
        // milliseconds: such a match then counts as failed.
        result.regex = QRegularExpression(QStringLiteral("(*LIMIT_MATCH=1000000)") + m_out, QRegularExpression::DontCaptureOption);
        if (!result.regex.isValid())
            result.error = result.regex.errorString();
        return result;
    }

private:
    QChar peek(int ahead = 0) const { return m_pos + ahead < m_in.size() ? m_in[m_pos + ahead] : QChar(); }

    void fail(const QString &message)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("%1 (at offset %2)").arg(message).arg(m_pos);
    }

    void atom()
    {
        const QChar c = m_in[m_pos];
        switch (c.unicode()) {
        case '\\': escape(false); return;
        case '[': characterClass(); return;
        case '.': m_out += QLatin1String("[^\\n\\r\\x{2028}\\x{2029}]"); ++m_pos; return;
        case '$': m_out += QLatin1String("\\z"); ++m_pos; return;  // end of input only, not before a final \n
        case '(': group(); return;
        case ')':
            if (--m_depth < 0)
                return fail(QStringLiteral("unbalanced ')'"));
            m_out += c;
            ++m_pos;
            return;
        case '*': case '+': case '?': case '}':
            m_out += c;
            ++m_pos;
            quantifierSuffix();
            return;
        case '{':
            m_out += c;
            ++m_pos;
            return;
        default:
            m_out += c;
            ++m_pos;
        }
    }

    // After a quantifier: `?` (lazy) is ECMA; `+` (possessive) is not.
    void quantifierSuffix()
    {
        if (peek() == QLatin1Char('+'))
            fail(QStringLiteral("possessive quantifiers are not ECMA-262"));
        else if (peek() == QLatin1Char('?')) {
            m_out += QLatin1Char('?');
            ++m_pos;
        }
    }

    void group()
    {
        ++m_pos;
        ++m_depth;
        if (peek() != QLatin1Char('?')) {
            m_out += QLatin1Char('(');
            return;
        }
        const QString rest = m_in.mid(m_pos, 3);
        for (const QLatin1String allowed : {QLatin1String("?:"), QLatin1String("?="), QLatin1String("?!"),
                                            QLatin1String("?<="), QLatin1String("?<!")}) {
            if (rest.startsWith(allowed)) {
                m_out += QLatin1Char('(') + allowed;
                m_pos += allowed.size();
                return;
            }
        }
        if (rest.startsWith(QLatin1String("?<")) && (peek(2).isLetter() || peek(2) == QLatin1Char('_') || peek(2) == QLatin1Char('$'))) {
            m_out += QLatin1String("(?<");
            m_pos += 2;
            return;
        }
        fail(QStringLiteral("'(%1' is not an ECMA-262 group").arg(rest));
    }

    bool readHex(int digits, uint *value)
    {
        if (m_pos + digits > m_in.size())
            return false;
        bool ok = false;
        *value = m_in.mid(m_pos, digits).toUInt(&ok, 16);
        if (!ok)
            return false;
        for (int i = 0; i < digits; ++i) {
            if (!isxdigit(m_in[m_pos + i].toLatin1()))
                return false;
        }
        m_pos += digits;
        return true;
    }

    void codePoint(uint cp) { m_out += QStringLiteral("\\x{%1}").arg(cp, 0, 16); }

    // An escape at m_pos (the backslash). Inside a class, class escapes expand
    // to class contents without brackets.
    void escape(bool inClass)
    {
        ++m_pos;
        if (m_pos >= m_in.size())
            return fail(QStringLiteral("'\\' at the end of the pattern"));
        const QChar c = m_in[m_pos++];
        switch (c.unicode()) {
        case 'd': case 'D': case 'w': case 'W': case 'B':
            m_out += QLatin1Char('\\') + c;  // PCRE without Unicode properties: ASCII, as ECMA-262
            return;
        case 'b':
            if (inClass)
                return codePoint(8);  // backspace inside a class
            m_out += QLatin1String("\\b");
            return;
        case 's':
            m_out += inClass ? QString(kSpaceSet) : QStringLiteral("[%1]").arg(kSpaceSet);
            return;
        case 'S':
            if (inClass)
                return fail(QStringLiteral("\\S inside a character class is not supported"));
            m_out += QStringLiteral("[^%1]").arg(kSpaceSet);
            return;
        case 't': return codePoint(9);
        case 'n': return codePoint(10);
        case 'v': return codePoint(11);
        case 'f': return codePoint(12);
        case 'r': return codePoint(13);
        case '0':
            if (peek().isDigit())
                return fail(QStringLiteral("octal escapes are not ECMA-262 (with the u flag)"));
            return codePoint(0);
        case 'c': {
            const QChar letter = peek();
            if (!((letter >= QLatin1Char('a') && letter <= QLatin1Char('z')) || (letter >= QLatin1Char('A') && letter <= QLatin1Char('Z'))))
                return fail(QStringLiteral("\\c must be followed by a letter"));
            ++m_pos;
            return codePoint(letter.unicode() % 32);
        }
        case 'x': {
            uint v = 0;
            if (!readHex(2, &v))
                return fail(QStringLiteral("\\x needs two hexadecimal digits"));
            return codePoint(v);
        }
        case 'u': {
            uint v = 0;
            if (peek() == QLatin1Char('{')) {
                const int close = m_in.indexOf(QLatin1Char('}'), m_pos);
                bool ok = false;
                v = close > m_pos + 1 ? m_in.mid(m_pos + 1, close - m_pos - 1).toUInt(&ok, 16) : 0;
                if (!ok || v > 0x10FFFF)
                    return fail(QStringLiteral("invalid \\u{…} escape"));
                m_pos = close + 1;
                return codePoint(v);
            }
            if (!readHex(4, &v))
                return fail(QStringLiteral("\\u needs four hexadecimal digits"));
            uint low = 0;
            if (QChar::isHighSurrogate(v) && peek() == QLatin1Char('\\') && peek(1) == QLatin1Char('u')) {
                const int save = m_pos;
                m_pos += 2;
                if (readHex(4, &low) && QChar::isLowSurrogate(low))
                    return codePoint(QChar::surrogateToUcs4(char16_t(v), char16_t(low)));
                m_pos = save;
            }
            return codePoint(v);
        }
        case 'p': case 'P': {
            const int close = m_in.indexOf(QLatin1Char('}'), m_pos);
            if (peek() != QLatin1Char('{') || close < 0)
                return fail(QStringLiteral("\\%1 needs {Property}").arg(c));
            const QString name = pcrePropertyName(m_in.mid(m_pos + 1, close - m_pos - 1));
            m_pos = close + 1;
            m_out += QStringLiteral("\\%1{%2}").arg(c, name);
            return;
        }
        case 'k':
            if (peek() != QLatin1Char('<'))
                return fail(QStringLiteral("\\k must name a group: \\k<name>"));
            m_out += QLatin1String("\\k");
            return;
        default:
            break;
        }
        if (c.isDigit()) {
            if (inClass)
                return fail(QStringLiteral("backreferences cannot stand in a character class"));
            m_out += QLatin1Char('\\') + c;
            while (peek().isDigit())
                m_out += m_in[m_pos++];
            return;
        }
        // Identity escapes: with the u flag only syntax characters and '/' ('-' in classes).
        static const QString syntax = QStringLiteral("^$\\.*+?()[]{}|/");
        if (syntax.contains(c) || (inClass && c == QLatin1Char('-'))) {
            m_out += QLatin1Char('\\') + c;
            return;
        }
        fail(QStringLiteral("'\\%1' is not an ECMA-262 escape").arg(c));
    }

    void characterClass()
    {
        ++m_pos;
        bool negated = false;
        if (peek() == QLatin1Char('^')) {
            negated = true;
            ++m_pos;
        }
        if (peek() == QLatin1Char(']')) {  // [] matches nothing, [^] anything
            ++m_pos;
            m_out += negated ? QLatin1String("(?s:.)") : QLatin1String("(?!)");
            return;
        }
        m_out += negated ? QLatin1String("[^") : QLatin1String("[");
        while (m_error.isEmpty()) {
            if (m_pos >= m_in.size())
                return fail(QStringLiteral("unterminated character class"));
            const QChar c = m_in[m_pos];
            if (c == QLatin1Char(']')) {
                ++m_pos;
                m_out += c;
                return;
            }
            if (c == QLatin1Char('\\')) {
                escape(true);
            } else if (c == QLatin1Char('[')) {  // literal in ECMA; PCRE would read [:alpha:]
                m_out += QLatin1String("\\[");
                ++m_pos;
            } else {
                m_out += c;
                ++m_pos;
            }
        }
    }

    const QString &m_in;
    QString m_out;
    QString m_error;
    int m_pos = 0;
    int m_depth = 0;
};

// The text a `^literal` or `^literal$` pattern asks for; nullopt for any
// other pattern. Letters, digits, `-`, `_`, `/` and escaped ASCII
// punctuation (`\$`, `\.`) are literal in ECMA-262; anything else may not be.
std::optional<std::string> anchoredLiteral(const QString &pattern, bool *wholeText)
{
    if (!pattern.startsWith(QLatin1Char('^')))
        return std::nullopt;
    std::string literal;
    *wholeText = false;
    for (qsizetype i = 1; i < pattern.size(); ++i) {
        const char16_t c = pattern.at(i).unicode();
        const bool plain = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
                           || c == u'-' || c == u'_' || c == u'/';
        if (plain) {
            literal += char(c);
        } else if (c == u'\\' && i + 1 < pattern.size() && pattern.at(i + 1).unicode() < 0x80
                   && std::ispunct(pattern.at(i + 1).unicode())) {
            literal += char(pattern.at(++i).unicode());
        } else if (c == u'$' && i + 1 == pattern.size()) {
            *wholeText = true;
        } else {
            return std::nullopt;
        }
    }
    return literal;
}

} // namespace

EcmaRegex compileEcmaRegex(const QString &pattern)
{
    EcmaRegex compiled = Translator(pattern).run();
    if (compiled.error.isEmpty())
        compiled.literalPrefix = anchoredLiteral(pattern, &compiled.wholeText);
    return compiled;
}

bool ecmaRegexSearch(const EcmaRegex &pattern, std::string_view utf8)
{
    const QRegularExpression &regex = pattern.regex;
    // QString::fromUtf8 drops a byte order mark at the start; a pattern must see it.
    const bool bom = utf8.size() >= 3 && utf8.substr(0, 3) == "\xEF\xBB\xBF";
    QString subject = QString::fromUtf8(utf8.data(), qsizetype(utf8.size()));
    if (bom && !subject.startsWith(QChar(0xFEFF)))
        subject.prepend(QChar(0xFEFF));
    return regex.match(subject).hasMatch();
}

} // namespace portolan::jsonschema
