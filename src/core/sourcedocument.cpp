#include "sourcedocument.h"

namespace portolan {

QString SourceDocument::displayName() const
{
    return m_url.isLocalFile() ? m_url.toLocalFile() : m_url.toString();
}

TextPosition SourceDocument::position(NodeId id) const
{
    if (id == kNoNode)
        return {};
    return m_lines.position(m_tree.node(id).offset);
}

SourceLocation SourceDocument::location(NodeId id, const QString &pointer) const
{
    const TextPosition pos = position(id);
    return {displayName(), pos.line, pos.column, pointer};
}

} // namespace portolan
