#include "parser.h"
#include "sourcetext.h"

#include <yaml.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace portolan {

namespace {

bool equalsAny(std::string_view s, std::initializer_list<std::string_view> words)
{
    for (std::string_view w : words) {
        if (s == w)
            return true;
    }
    return false;
}

bool isYamlNumber(std::string_view s)
{
    if (s.empty())
        return false;
    if (equalsAny(s, {".inf", ".Inf", ".INF", "+.inf", "-.inf", "+.Inf", "-.Inf", ".nan", ".NaN", ".NAN"}))
        return true;
    std::size_t i = 0;
    if (s[i] == '-' || s[i] == '+')
        ++i;
    if (s.size() > i + 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'o'))
        return false;  // hex and octal stay strings: a JSON tree has no such numbers
    bool digits = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        ++i;
        digits = true;
    }
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            ++i;
            digits = true;
        }
    }
    if (!digits)
        return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '-' || s[i] == '+'))
            ++i;
        bool exponent = false;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            ++i;
            exponent = true;
        }
        if (!exponent)
            return false;
    }
    return i == s.size();
}

// The YAML 1.2 core schema for plain scalars; quoted scalars are strings.
NodeKind resolvePlainScalar(std::string_view s)
{
    if (s.empty() || equalsAny(s, {"~", "null", "Null", "NULL"}))
        return NodeKind::Null;
    if (equalsAny(s, {"true", "True", "TRUE", "false", "False", "FALSE"}))
        return NodeKind::Bool;
    return isYamlNumber(s) ? NodeKind::Number : NodeKind::String;
}

// Builds the value tree from libyaml's event stream. libyaml keeps its own
// heap stacks, so deep nesting cannot overflow ours; the depth bound is ours.
class YamlBuilder {
public:
    YamlBuilder(const QByteArray &bytes, const ParseLimits &limits, const std::atomic_bool *cancelled)
        : m_tree(bytes), m_lines(bytes), m_limits(limits), m_cancelled(cancelled)
    {
        m_tree.reserve(std::size_t(bytes.size() / 16));
    }

    ParseResult run()
    {
        ParseResult result;
        result.format = SourceFormat::Yaml;
        yaml_parser_t parser;
        yaml_parser_initialize(&parser);
        const QByteArray &source = m_tree.source();
        yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char *>(source.constData()),
                                     std::size_t(source.size()));
        bool done = false;
        int documents = 0;
        while (!done && !m_error) {
            yaml_event_t event;
            if (!yaml_parser_parse(&parser, &event)) {
                QString message = QString::fromUtf8(parser.problem ? parser.problem : "invalid YAML");
                if (parser.context)
                    message = QString::fromUtf8(parser.context) + QLatin1Char(' ') + message;
                m_error = ParseError{offsetOf(parser.problem_mark), message};
                break;
            }
            switch (event.type) {
            case YAML_STREAM_END_EVENT:
                done = true;
                break;
            case YAML_DOCUMENT_START_EVENT:
                if (++documents > 1) {
                    result.warning = ParseError{offsetOf(event.start_mark),
                                                QStringLiteral("the YAML stream holds more than one document; only the first is read")};
                    done = true;
                }
                break;
            case YAML_SCALAR_EVENT:
                onScalar(event);
                break;
            case YAML_SEQUENCE_START_EVENT:
                open(NodeKind::Array, event.start_mark, event.data.sequence_start.anchor);
                break;
            case YAML_MAPPING_START_EVENT:
                open(NodeKind::Object, event.start_mark, event.data.mapping_start.anchor);
                break;
            case YAML_SEQUENCE_END_EVENT:
            case YAML_MAPPING_END_EVENT:
                close();
                break;
            case YAML_ALIAS_EVENT:
                onAlias(event);
                break;
            default:
                break;
            }
            yaml_event_delete(&event);
        }
        yaml_parser_delete(&parser);
        if (!m_error)
            m_error = oversizedValueError(m_tree);
        if (m_error) {
            result.error = m_error;
            return result;
        }
        m_tree.finish(m_root);
        result.tree = std::move(m_tree);
        return result;
    }

private:
    struct Open {
        NodeKind kind;
        std::uint32_t offset;
        std::size_t scratchStart;
        std::string anchor;
        bool expectingKey = true;
        std::string_view pendingKey;
        bool hasMergeKey = false;
    };

    std::uint32_t offsetOf(const yaml_mark_t &mark) { return m_lines.offsetOf(mark.line, mark.column); }

    void fail(std::uint32_t offset, QString message)
    {
        if (!m_error)
            m_error = ParseError{offset, std::move(message)};
    }

    void open(NodeKind kind, const yaml_mark_t &mark, const yaml_char_t *anchor)
    {
        if (m_stack.size() >= m_limits.maxDepth) {
            fail(offsetOf(mark), QStringLiteral("nesting deeper than %1 levels").arg(m_limits.maxDepth));
            return;
        }
        if (m_cancelled && (++m_containersSeen & 0xFFF) == 0 && m_cancelled->load(std::memory_order_relaxed)) {
            fail(offsetOf(mark), QStringLiteral("cancelled"));
            return;
        }
        if (!m_stack.empty() && m_stack.back().kind == NodeKind::Object && m_stack.back().expectingKey) {
            fail(offsetOf(mark), QStringLiteral("mapping keys must be scalars"));
            return;
        }
        Open frame{kind, offsetOf(mark), m_scratch.size(), anchor ? reinterpret_cast<const char *>(anchor) : "", true, {}, false};
        m_stack.push_back(std::move(frame));
    }

    void close()
    {
        Open frame = std::move(m_stack.back());
        m_stack.pop_back();
        if (frame.hasMergeKey)
            applyMergeKeys(frame.scratchStart);
        const NodeId id = m_tree.addContainer(frame.kind, frame.offset, m_scratch.data() + frame.scratchStart,
                                              m_scratch.size() - frame.scratchStart);
        m_scratch.resize(frame.scratchStart);
        if (!frame.anchor.empty())
            m_anchors[frame.anchor] = id;
        attach(id);
    }

    // "<<" merge keys (YAML 1.1, still common in hand-written specs): members of
    // the merged mappings are added unless the mapping sets them itself.
    void applyMergeKeys(std::size_t start)
    {
        std::vector<Member> own, merged;
        for (std::size_t i = start; i < m_scratch.size(); ++i) {
            if (m_scratch[i].key() != "<<") {
                own.push_back(m_scratch[i]);
                continue;
            }
            const NodeId source = m_scratch[i].value;
            auto mergeFrom = [&](NodeId mapping) {
                if (!m_tree.isObject(mapping))
                    return;
                for (const Member *m = m_tree.membersBegin(mapping); m != m_tree.membersEnd(mapping); ++m)
                    merged.push_back(*m);
            };
            if (m_tree.isArray(source)) {
                for (const Member *m = m_tree.membersBegin(source); m != m_tree.membersEnd(source); ++m)
                    mergeFrom(m->value);
            } else {
                mergeFrom(source);
            }
        }
        m_scratch.resize(start);
        m_scratch.insert(m_scratch.end(), own.begin(), own.end());
        for (const Member &m : merged) {
            bool shadowed = false;
            for (std::size_t i = start; i < m_scratch.size() && !shadowed; ++i)
                shadowed = m_scratch[i].key() == m.key();
            if (!shadowed)
                m_scratch.push_back(m);
        }
        // In the order their values were parsed: the merged members stand
        // where their "<<" was written, and the mapping's values stay the id
        // range every subtree is (see NodeTree::subtreeBegin()).
        std::stable_sort(m_scratch.begin() + std::ptrdiff_t(start), m_scratch.end(),
                         [](const Member &a, const Member &b) { return a.value < b.value; });
    }

    // libyaml frees its copy of a scalar with the event. Most scalars stand in
    // the source unchanged, so a view there is kept; others are stored.
    std::string_view keep(std::uint32_t offset, std::string_view text)
    {
        const QByteArray &source = m_tree.source();
        if (std::size_t(source.size()) >= offset + text.size() && std::memcmp(source.constData() + offset, text.data(), text.size()) == 0)
            return std::string_view(source.constData() + offset, text.size());
        return m_tree.storeString(text);
    }

    void onScalar(const yaml_event_t &event)
    {
        const auto &s = event.data.scalar;
        const std::uint32_t offset = offsetOf(event.start_mark);
        std::string_view text(reinterpret_cast<const char *>(s.value), s.length);
        if (!m_stack.empty() && m_stack.back().kind == NodeKind::Object && m_stack.back().expectingKey) {
            Open &frame = m_stack.back();
            frame.pendingKey = keep(offset, text);
            frame.expectingKey = false;
            if (frame.pendingKey == "<<" && s.style == YAML_PLAIN_SCALAR_STYLE)
                frame.hasMergeKey = true;
            return;
        }
        const char *tag = reinterpret_cast<const char *>(s.tag);
        NodeKind kind = NodeKind::String;
        if (tag && std::strcmp(tag, YAML_STR_TAG) != 0) {
            if (std::strcmp(tag, YAML_INT_TAG) == 0 || std::strcmp(tag, YAML_FLOAT_TAG) == 0)
                kind = NodeKind::Number;
            else if (std::strcmp(tag, YAML_BOOL_TAG) == 0)
                kind = NodeKind::Bool;
            else if (std::strcmp(tag, YAML_NULL_TAG) == 0)
                kind = NodeKind::Null;
        } else if (!tag && s.style == YAML_PLAIN_SCALAR_STYLE) {
            kind = resolvePlainScalar(text);
        }
        if (kind == NodeKind::Bool)
            text = (text[0] == 't' || text[0] == 'T') ? std::string_view("true") : std::string_view("false");
        else if (kind == NodeKind::Null)
            text = "null";
        else
            text = keep(offset, text);
        const NodeId id = m_tree.addScalar(kind, offset, text);
        if (s.anchor)
            m_anchors[reinterpret_cast<const char *>(s.anchor)] = id;
        attach(id);
    }

    void onAlias(const yaml_event_t &event)
    {
        const std::uint32_t offset = offsetOf(event.start_mark);
        const auto it = m_anchors.find(reinterpret_cast<const char *>(event.data.alias.anchor));
        if (it == m_anchors.end()) {
            fail(offset, QStringLiteral("alias to an unknown or still open anchor '%1'")
                             .arg(QString::fromUtf8(reinterpret_cast<const char *>(event.data.alias.anchor))));
            return;
        }
        if (!m_stack.empty() && m_stack.back().kind == NodeKind::Object && m_stack.back().expectingKey) {
            Open &frame = m_stack.back();
            frame.pendingKey = m_tree.text(it->second);
            frame.expectingKey = false;
            return;
        }
        // Aliases are expanded into copies, so that every later walk over the
        // tree is bounded by its size; the budget stops "billion laughs".
        const NodeId copy = copySubtree(it->second, 0);
        if (copy != kNoNode)
            attach(copy);
    }

    NodeId copySubtree(NodeId source, std::size_t depth)
    {
        if (m_error)
            return kNoNode;
        if (++m_aliasNodes > m_limits.maxAliasNodes) {
            fail(m_tree.node(source).offset,
                 QStringLiteral("YAML aliases expand to more than %1 values (a \"billion laughs\" document?)")
                     .arg(m_limits.maxAliasNodes));
            return kNoNode;
        }
        if (m_stack.size() + depth >= m_limits.maxDepth) {
            fail(m_tree.node(source).offset, QStringLiteral("nesting deeper than %1 levels").arg(m_limits.maxDepth));
            return kNoNode;
        }
        const Node node = m_tree.node(source);
        if (node.kind != NodeKind::Array && node.kind != NodeKind::Object)
            return m_tree.addScalarCopy(source);
        std::vector<Member> members(m_tree.membersBegin(source), m_tree.membersEnd(source));
        for (Member &m : members) {
            m.value = copySubtree(m.value, depth + 1);
            if (m.value == kNoNode)
                return kNoNode;
        }
        return m_tree.addContainer(node.kind, node.offset, members.data(), members.size());
    }

    void attach(NodeId id)
    {
        if (m_stack.empty()) {
            m_root = id;
            return;
        }
        Open &parent = m_stack.back();
        if (parent.kind == NodeKind::Array) {
            m_scratch.push_back(m_tree.makeMember({}, id));
        } else {
            m_scratch.push_back(m_tree.makeMember(parent.pendingKey, id));
            parent.expectingKey = true;
        }
    }

    NodeTree m_tree;
    LineCursor m_lines;
    const ParseLimits &m_limits;
    const std::atomic_bool *m_cancelled;
    std::vector<Open> m_stack;
    std::vector<Member> m_scratch;
    std::unordered_map<std::string, NodeId> m_anchors;
    std::size_t m_aliasNodes = 0;
    std::size_t m_containersSeen = 0;
    NodeId m_root = kNoNode;
    std::optional<ParseError> m_error;
};

} // namespace

ParseResult parseYaml(const QByteArray &bytes, const ParseLimits &limits, const std::atomic_bool *cancelled)
{
    return YamlBuilder(bytes, limits, cancelled).run();
}

} // namespace portolan
