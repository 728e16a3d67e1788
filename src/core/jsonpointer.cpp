#include "jsonpointer.h"

#include <QByteArray>

#include <algorithm>

namespace portolan::jsonpointer {

QString escapeToken(std::string_view token)
{
    QString out;
    out.reserve(qsizetype(token.size()));
    const QString text = QString::fromUtf8(token.data(), qsizetype(token.size()));
    for (QChar c : text) {
        if (c == QLatin1Char('~'))
            out += QLatin1String("~0");
        else if (c == QLatin1Char('/'))
            out += QLatin1String("~1");
        else
            out += c;
    }
    return out;
}

QString append(const QString &pointer, std::string_view token)
{
    return pointer + QLatin1Char('/') + escapeToken(token);
}

QString append(const QString &pointer, std::size_t index)
{
    return pointer + QLatin1Char('/') + QString::number(index);
}

namespace {

bool unescapeToken(std::string &token)
{
    if (token.find('~') == std::string::npos)
        return true;  // most tokens: nothing to unescape
    std::string out;
    out.reserve(token.size());
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] != '~') {
            out += token[i];
            continue;
        }
        if (i + 1 >= token.size())
            return false;
        const char next = token[++i];
        if (next == '0')
            out += '~';
        else if (next == '1')
            out += '/';
        else
            return false;
    }
    token = std::move(out);
    return true;
}

} // namespace

QString fromTokens(const std::vector<std::string> &tokens)
{
    QString pointer;
    for (const std::string &t : tokens)
        pointer = append(pointer, t);
    return pointer;
}

std::optional<std::vector<std::string>> split(std::string_view pointer)
{
    std::vector<std::string> tokens;
    if (pointer.empty())
        return tokens;
    if (pointer.front() != '/')
        return std::nullopt;
    std::size_t start = 1;
    for (;;) {
        const std::size_t slash = pointer.find('/', start);
        std::string token(pointer.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
        if (!unescapeToken(token))
            return std::nullopt;
        tokens.push_back(std::move(token));
        if (slash == std::string_view::npos)
            break;
        start = slash + 1;
    }
    return tokens;
}

std::optional<std::vector<std::string>> splitFragment(std::string_view fragment)
{
    // RFC 6901 §6: percent-decode the fragment first, then read it as a pointer.
    if (fragment.find('%') == std::string_view::npos)
        return split(fragment);  // nothing to decode: most fragments
    const QByteArray decoded = QByteArray::fromPercentEncoding(QByteArray(fragment.data(), qsizetype(fragment.size())));
    return split(std::string_view(decoded.constData(), std::size_t(decoded.size())));
}

QString pointerTo(const NodeTree &tree, NodeId target)
{
    // Built as UTF-8 and converted once: '~' and '/' are ASCII, so escaping
    // bytes is escaping characters.
    std::string pointer;
    pointer.reserve(256);  // most pointers fit: one allocation
    NodeId current = tree.root();
    while (current != kNoNode && current != target) {
        const Member *begin = tree.membersBegin(current);
        const Member *end = tree.membersEnd(current);
        if (tree.kind(current) != NodeKind::Object && tree.kind(current) != NodeKind::Array)
            break;
        const Member *m = std::lower_bound(begin, end, target, [](const Member &member, NodeId id) { return member.value < id; });
        if (m == end || tree.subtreeBegin(m->value) > target)
            break;  // not inside (a YAML merge key can place values out of order)
        pointer += '/';
        if (tree.isArray(current)) {
            pointer += std::to_string(m - begin);
        } else {
            // Written in place, with room for every byte escaped: keys like
            // paths are long and full of '/', and appending them piece by piece cost more.
            const std::size_t at = pointer.size();
            pointer.resize(at + 2 * m->key.size());
            char *out = pointer.data() + at;
            for (const char c : m->key) {
                if (c == '~' || c == '/') {
                    *out++ = '~';
                    *out++ = c == '~' ? '0' : '1';
                } else {
                    *out++ = c;
                }
            }
            pointer.resize(std::size_t(out - pointer.data()));
        }
        current = m->value;
    }
    return QString::fromUtf8(pointer.data(), qsizetype(pointer.size()));
}

NodeId resolve(const NodeTree &tree, NodeId from, const std::vector<std::string> &tokens)
{
    NodeId current = from;
    for (const std::string &token : tokens) {
        if (tree.isObject(current)) {
            current = tree.member(current, token);
        } else if (tree.isArray(current)) {
            if (token.empty() || token.size() > 9 || token.find_first_not_of("0123456789") != std::string::npos
                || (token.size() > 1 && token[0] == '0'))
                return kNoNode;
            current = tree.element(current, std::stoul(token));
        } else {
            return kNoNode;
        }
        if (current == kNoNode)
            return kNoNode;
    }
    return current;
}

} // namespace portolan::jsonpointer
