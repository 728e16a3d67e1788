#include "navigatormodel.h"

#include "apimodel.h"

#include <QHash>

namespace portolan::gui {

NavigatorModel::NavigatorModel(QObject *parent) : QAbstractItemModel(parent) {}

void NavigatorModel::setOperations(const QVector<const Operation *> &operations, const QVector<Tag> &declaredTags)
{
    m_operations = operations;
    m_tagOrder.clear();
    for (const Tag &tag : declaredTags)
        m_tagOrder.append(tag.name);
    // Tag positions are worked out once here, so that a rebuild per keystroke hashes no strings.
    QHash<QString, int> tagIndex;
    for (int i = 0; i < m_tagOrder.size(); ++i)
        tagIndex.insert(m_tagOrder[i], i);
    m_tagsOfOperation.clear();
    m_tagsOfOperation.reserve(operations.size());
    for (const Operation *operation : operations) {
        QVector<int> indices;
        for (const QString &tag : operation->tags) {
            auto it = tagIndex.constFind(tag);
            if (it == tagIndex.constEnd()) {
                it = tagIndex.insert(tag, int(m_tagOrder.size()));
                m_tagOrder.append(tag);
            }
            indices.append(*it);
        }
        m_tagsOfOperation.append(std::move(indices));
    }
    m_visible.resize(operations.size());
    for (int i = 0; i < m_visible.size(); ++i)
        m_visible[i] = i;
    rebuild();
}

void NavigatorModel::setGrouping(Grouping grouping)
{
    if (grouping == m_grouping)
        return;
    m_grouping = grouping;
    rebuild();
}

void NavigatorModel::setVisibleOperations(const QVector<int> &operations)
{
    if (operations == m_visible)
        return;  // e.g. a trailing space: spare the view a reset
    m_visible = operations;
    rebuild();
}

void NavigatorModel::rebuild()
{
    beginResetModel();
    m_nodes.clear();
    m_nodes.reserve(m_visible.size() + m_visible.size() / 4 + 16);
    m_topLevel.clear();
    m_firstNodeOfOperation.fill(-1, m_operations.size());
    if (m_grouping == Grouping::ByTag)
        buildByTag();
    else
        buildByPath();
    endResetModel();
}

int NavigatorModel::addNode(int parent, const QString &label, int operation)
{
    QVector<int> &siblings = parent < 0 ? m_topLevel : m_nodes[parent].children;
    Node node;
    node.parent = parent;
    node.row = int(siblings.size());
    node.operation = operation;
    node.label = label;
    const int id = int(m_nodes.size());
    m_nodes.append(std::move(node));
    // `siblings` may dangle after the append when it lives in m_nodes.
    (parent < 0 ? m_topLevel : m_nodes[parent].children).append(id);
    if (operation >= 0) {
        if (m_firstNodeOfOperation[operation] < 0)
            m_firstNodeOfOperation[operation] = id;
        for (int p = parent; p >= 0; p = m_nodes[p].parent)
            ++m_nodes[p].operationCount;
    }
    return id;
}

void NavigatorModel::buildByTag()
{
    // Groups appear in tag order; only groups with visible operations are shown.
    QVector<QVector<int>> byTag(m_tagOrder.size());
    QVector<int> untagged;
    for (int operation : std::as_const(m_visible)) {
        const QVector<int> &tags = m_tagsOfOperation[operation];
        if (tags.isEmpty())
            untagged.append(operation);
        for (int tag : tags)
            byTag[tag].append(operation);
    }
    for (int i = 0; i < byTag.size(); ++i) {
        if (byTag[i].isEmpty())
            continue;
        const int group = addNode(-1, m_tagOrder[i], -1);
        for (int operation : std::as_const(byTag[i]))
            addNode(group, QString(), operation);
    }
    if (!untagged.isEmpty()) {
        const int group = addNode(-1, tr("Untagged"), -1);
        for (int operation : std::as_const(untagged))
            addNode(group, QString(), operation);
    }
}

void NavigatorModel::buildByPath()
{
    // One node per path segment; operations hang under the node of their full path.
    QHash<QPair<int, QString>, int> segmentNodes;
    for (int operation : std::as_const(m_visible)) {
        const Operation *op = m_operations[operation];
        int parent = -1;
        if (op->isWebhook) {
            const auto key = qMakePair(-1, tr("Webhooks"));
            parent = segmentNodes.value(key, -2);
            if (parent == -2) {
                parent = addNode(-1, key.second, -1);
                segmentNodes.insert(key, parent);
            }
        }
        const QStringList segments = op->path().split(QLatin1Char('/'), Qt::SkipEmptyParts);
        for (const QString &segment : segments) {
            const auto key = qMakePair(parent, segment);
            int node = segmentNodes.value(key, -2);
            if (node == -2) {
                node = addNode(parent, QLatin1Char('/') + segment, -1);
                segmentNodes.insert(key, node);
            }
            parent = node;
        }
        addNode(parent, QString(), operation);
    }
}

QModelIndex NavigatorModel::indexOfOperation(int operation) const
{
    if (operation < 0 || operation >= m_firstNodeOfOperation.size() || m_firstNodeOfOperation[operation] < 0)
        return {};
    const int node = m_firstNodeOfOperation[operation];
    return createIndex(m_nodes[node].row, 0, quintptr(node));
}

QModelIndex NavigatorModel::index(int row, int column, const QModelIndex &parent) const
{
    const int parentNode = parent.isValid() ? int(parent.internalId()) : -1;
    const QVector<int> &children = childrenOf(parentNode);
    if (column != 0 || row < 0 || row >= children.size())
        return {};
    return createIndex(row, 0, quintptr(children[row]));
}

QModelIndex NavigatorModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const int parentNode = m_nodes[int(child.internalId())].parent;
    if (parentNode < 0)
        return {};
    return createIndex(m_nodes[parentNode].row, 0, quintptr(parentNode));
}

int NavigatorModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    return int(childrenOf(parent.isValid() ? int(parent.internalId()) : -1).size());
}

int NavigatorModel::columnCount(const QModelIndex &) const
{
    return 1;
}

QVariant NavigatorModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node &node = m_nodes[int(index.internalId())];
    const Operation *op = node.operation >= 0 ? m_operations[node.operation] : nullptr;
    switch (role) {
    case Qt::DisplayRole:
        if (!op)
            return node.label;
        if (m_grouping == Grouping::ByPath)
            return op->summary.isEmpty() ? (op->operationIdText.empty() ? op->path() : op->operationId()) : op->summary;
        return op->path();
    case Qt::ToolTipRole:
        if (!op)
            return tr("%n operation(s)", nullptr, node.operationCount);
        return QStringLiteral("%1 %2%3%4")
            .arg(op->method, op->path(),
                 op->summary.isEmpty() ? QString() : QStringLiteral("\n") + op->summary,
                 op->deprecated ? tr("\nDeprecated") : QString());
    case Qt::AccessibleTextRole:
        if (!op)
            return tr("%1, %n operation(s)", nullptr, node.operationCount).arg(node.label);
        return QStringLiteral("%1 %2%3").arg(op->method, op->path(), op->deprecated ? tr(", deprecated") : QString());
    case OperationRole:
        return node.operation;
    case MethodRole:
        return op ? op->method : QString();
    case PathRole:
        return op ? op->path() : QString();
    case SummaryRole:
        if (!op)
            return QString();
        // In the path tree the row already names the path; the summary is the row's text.
        return m_grouping == Grouping::ByPath ? QString() : op->summary;
    case DeprecatedRole:
        return op && op->deprecated;
    case OperationCountRole:
        return node.operationCount;
    default:
        return {};
    }
}

Qt::ItemFlags NavigatorModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

} // namespace portolan::gui
