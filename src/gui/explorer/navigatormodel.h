#pragma once

#include <QAbstractItemModel>
#include <QStringList>
#include <QVector>

namespace portolan {
struct Operation;
struct Tag;
}

namespace portolan::gui {

// The operations of one API as a tree: grouped by tag, or as a tree of path
// segments. It shows the subset the filter lets through; rebuilding it is a
// single pass over that subset, so filtering never creates a widget per row.
class NavigatorModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum class Grouping { ByTag, ByPath };
    enum Role {
        OperationRole = Qt::UserRole + 1,  // int: index of the operation, -1 for groups
        MethodRole,                        // QString
        PathRole,                          // QString
        SummaryRole,                       // QString
        DeprecatedRole,                    // bool
        OperationCountRole,                // int: operations under a group
    };

    explicit NavigatorModel(QObject *parent = nullptr);

    // `operations` must outlive the model (they belong to the ApiDocument).
    void setOperations(const QVector<const Operation *> &operations, const QVector<Tag> &declaredTags);
    void setGrouping(Grouping grouping);
    Grouping grouping() const { return m_grouping; }
    // Shows only these operations (indices into the list given to setOperations).
    void setVisibleOperations(const QVector<int> &operations);
    int visibleOperationCount() const { return int(m_visible.size()); }
    // The first row that shows this operation, or an invalid index.
    QModelIndex indexOfOperation(int operation) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    struct Node {
        int parent = -1;  // -1: a top-level row
        int row = 0;
        int operation = -1;
        int operationCount = 0;
        QString label;  // group name or path segment
        QVector<int> children;
    };

    void rebuild();
    void buildByTag();
    void buildByPath();
    int addNode(int parent, const QString &label, int operation);
    const QVector<int> &childrenOf(int node) const { return node < 0 ? m_topLevel : m_nodes[node].children; }

    QVector<const Operation *> m_operations;  // not owned
    QStringList m_tagOrder;                   // declared tags first, then as met
    QVector<QVector<int>> m_tagsOfOperation;  // operation -> indices into m_tagOrder
    Grouping m_grouping = Grouping::ByTag;
    QVector<int> m_visible;
    QVector<Node> m_nodes;
    QVector<int> m_topLevel;
    QVector<int> m_firstNodeOfOperation;  // operation -> node, -1 when hidden
};

} // namespace portolan::gui
