#pragma once

#include "operationfilter.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QToolButton;
class QTreeView;

namespace portolan {
struct Operation;
struct Tag;
}

namespace portolan::gui {

class NavigatorModel;

// The left-hand list of an API's operations: a filter field, the choice
// between tag groups and a path tree, and the tree itself.
class NavigatorPanel : public QWidget {
    Q_OBJECT
public:
    explicit NavigatorPanel(QWidget *parent = nullptr);

    // `operations` must outlive the panel's use of them (they belong to the ApiDocument).
    void setOperations(const QVector<const Operation *> &operations, const QVector<Tag> &tags);
    void setFilterText(const QString &text);
    QString filterText() const;
    void focusFilter();
    // Selects and shows the operation without emitting operationSelected.
    void selectOperation(int operation);
    int selectedOperation() const;
    bool isGroupedByPath() const;
    void setGroupedByPath(bool byPath);

    QTreeView *view() const { return m_view; }
    NavigatorModel *model() const { return m_model; }

Q_SIGNALS:
    void operationSelected(int operation);

protected:
    // Down or Return in the filter moves into the list, so the keyboard never has to leave it.
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void applyFilter();
    void updateExpansion();
    void onCurrentChanged();

    OperationFilter m_filter;
    NavigatorModel *m_model;   // owned by this (QObject child)
    QLineEdit *m_filterEdit;   // owned by this
    QToolButton *m_byTag;      // owned by this
    QToolButton *m_byPath;     // owned by this
    QTreeView *m_view;         // owned by this
    QLabel *m_countLabel;      // owned by this
    int m_selected = -1;
    bool m_selecting = false;  // true while the selection is set from code
};

} // namespace portolan::gui
