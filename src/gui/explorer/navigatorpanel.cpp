#include "navigatorpanel.h"

#include "apimodel.h"
#include "navigatordelegate.h"
#include "navigatormodel.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace portolan::gui {

namespace {
// Expanding every group costs a layout pass per row; beyond this many rows
// the groups stay collapsed until the filter narrows them down.
constexpr int kExpandAllLimit = 2500;
} // namespace

NavigatorPanel::NavigatorPanel(QWidget *parent)
    : QWidget(parent), m_model(new NavigatorModel(this)), m_filterEdit(new QLineEdit(this)),
      m_byTag(new QToolButton(this)), m_byPath(new QToolButton(this)), m_view(new QTreeView(this)),
      m_countLabel(new QLabel(this))
{
    m_filterEdit->setPlaceholderText(tr("Filter operations  (Ctrl+K)"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterEdit->setAccessibleName(tr("Operation filter"));
    m_filterEdit->setToolTip(tr("Words match the path, operationId, summary and tags; "
                                "a method name such as \"post\" matches the method."));
    m_filterEdit->installEventFilter(this);

    m_byTag->setText(tr("Tags"));
    m_byPath->setText(tr("Paths"));
    m_byTag->setAccessibleName(tr("Group operations by tag"));
    m_byPath->setAccessibleName(tr("Show operations as a path tree"));
    for (QToolButton *button : {m_byTag, m_byPath}) {
        button->setCheckable(true);
        button->setAutoRaise(true);
    }
    m_byTag->setChecked(true);
    auto *grouping = new QButtonGroup(this);
    grouping->addButton(m_byTag);
    grouping->addButton(m_byPath);
    grouping->setExclusive(true);
    connect(m_byPath, &QToolButton::toggled, this, &NavigatorPanel::setGroupedByPath);

    m_view->setModel(m_model);
    m_view->setItemDelegate(new NavigatorDelegate(m_view));
    m_view->setHeaderHidden(true);
    m_view->setUniformRowHeights(true);
    m_view->setAnimated(false);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAccessibleName(tr("Operations"));
    m_view->setTextElideMode(Qt::ElideMiddle);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &NavigatorPanel::onCurrentChanged);

    m_countLabel->setAccessibleName(tr("Number of operations shown"));
    QPalette dim = m_countLabel->palette();
    dim.setColor(QPalette::WindowText, dim.color(QPalette::PlaceholderText));
    m_countLabel->setPalette(dim);

    connect(m_filterEdit, &QLineEdit::textChanged, this, &NavigatorPanel::applyFilter);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->setSpacing(2);
    bar->addWidget(m_byTag);
    bar->addWidget(m_byPath);
    bar->addStretch();
    bar->addWidget(m_countLabel);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_filterEdit);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
}

void NavigatorPanel::setOperations(const QVector<const Operation *> &operations, const QVector<Tag> &tags)
{
    m_filter.setOperations(operations);
    m_model->setOperations(operations, tags);
    m_selected = -1;
    applyFilter();
}

void NavigatorPanel::setFilterText(const QString &text)
{
    m_filterEdit->setText(text);
}

QString NavigatorPanel::filterText() const
{
    return m_filterEdit->text();
}

void NavigatorPanel::focusFilter()
{
    m_filterEdit->setFocus(Qt::ShortcutFocusReason);
    m_filterEdit->selectAll();
}

bool NavigatorPanel::isGroupedByPath() const
{
    return m_model->grouping() == NavigatorModel::Grouping::ByPath;
}

void NavigatorPanel::setGroupedByPath(bool byPath)
{
    m_byPath->setChecked(byPath);
    m_byTag->setChecked(!byPath);
    m_model->setGrouping(byPath ? NavigatorModel::Grouping::ByPath : NavigatorModel::Grouping::ByTag);
    updateExpansion();
    selectOperation(m_selected);
}

bool NavigatorPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_filterEdit && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Down || key == Qt::Key_Return || key == Qt::Key_Enter) {
            // Land on an operation, not on a group row, so the page follows at once.
            const QModelIndex current = m_view->currentIndex();
            if (!current.isValid() || current.data(NavigatorModel::OperationRole).toInt() < 0) {
                QModelIndex first = m_model->index(0, 0);
                while (first.isValid() && m_model->rowCount(first) > 0)
                    first = m_model->index(0, 0, first);
                m_view->setCurrentIndex(first);
            }
            m_view->setFocus(Qt::TabFocusReason);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void NavigatorPanel::applyFilter()
{
    const QVector<int> &matches = m_filter.match(m_filterEdit->text());
    m_model->setVisibleOperations(matches);
    const int total = m_filter.operationCount();
    m_countLabel->setText(matches.size() == total ? tr("%n operation(s)", nullptr, total)
                                                  : tr("%1 of %2").arg(matches.size()).arg(total));
    updateExpansion();
    selectOperation(m_selected);
}

void NavigatorPanel::updateExpansion()
{
    if (m_model->visibleOperationCount() <= kExpandAllLimit)
        m_view->expandAll();
}

void NavigatorPanel::selectOperation(int operation)
{
    m_selected = operation;
    const QModelIndex index = m_model->indexOfOperation(operation);
    if (!index.isValid())
        return;
    m_selecting = true;
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
    m_selecting = false;
}

int NavigatorPanel::selectedOperation() const
{
    return m_selected;
}

void NavigatorPanel::onCurrentChanged()
{
    if (m_selecting)
        return;
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return;
    const int operation = current.data(NavigatorModel::OperationRole).toInt();
    if (operation < 0 || operation == m_selected)
        return;
    m_selected = operation;
    Q_EMIT operationSelected(operation);
}

} // namespace portolan::gui
