#include "jsonpointer.h"

#include <QByteArray>

#include <algorithm>

namespace portolan::jsonpointer {

namespace {

// Writes `token` escaped from `to` on, as UTF-16 or as UTF-8 ('~' and '/'
// are ASCII, so escaping bytes is escaping characters), and returns where it
// ended. Written in place, into room for every character escaped: tokens
// like paths are long and full of '/', and appending them piece by piece cost more.
template <typename Char, typename Text>
Char *writeEscaped(Char *to, const Text &token)
{
    for (const auto c : token) {
        if (c == u'~' || c == u'/') {
            *to++ = Char(u'~');
            *to++ = Char(c == u'~' ? u'0' : u'1');
        } else {
            *to++ = c;
        }
    }
    return to;
}

} // namespace

QString append(const QString &pointer, QStringView token)
{
    QString out(pointer.size() + 1 + 2 * token.size(), Qt::Uninitialized);
    QChar *to = std::copy(pointer.begin(), pointer.end(), out.data());
    *to++ = QLatin1Char('/');
    out.truncate(writeEscaped(to, token) - out.constData());
    return out;
}

QString append(const QString &pointer, std::string_view token)
{
    return append(pointer, QString::fromUtf8(token.data(), qsizetype(token.size())));
}

QString append(const QString &pointer, std::size_t index)
{
    return pointer + QLatin1Char('/') + QString::number(index);
}

void appendEscaped(std::string &pointer, std::string_view token)
{
    const std::size_t at = pointer.size();
    pointer.resize(at + 1 + 2 * token.size());
    char *out = pointer.data() + at;
    *out++ = '/';
    pointer.resize(std::size_t(writeEscaped(out, token) - pointer.data()));
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
    // Built as UTF-8 and converted once (see appendEscaped).
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
            break;  // not reachable (a copy a YAML merge key left unused, see NodeTree::subtreeBegin())
        if (tree.isArray(current)) {
            pointer += '/';
            pointer += std::to_string(m - begin);
        } else {
            appendEscaped(pointer, m->key());
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

NodeId resolveDeepest(const NodeTree &tree, std::string_view pointer)
{
    const std::optional<std::vector<std::string>> tokens = pointer.empty() ? std::vector<std::string>() : split(pointer);
    if (!tokens)
        return kNoNode;
    NodeId current = tree.root();
    for (const std::string &token : *tokens) {
        const NodeId next = resolve(tree, current, {token});
        if (next == kNoNode)
            break;
        current = next;
    }
    return current;
}

} // namespace portolan::jsonpointer
