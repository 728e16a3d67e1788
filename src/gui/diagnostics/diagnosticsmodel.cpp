#include "diagnosticsmodel.h"

#include <QFileInfo>
#include <QIcon>

namespace portolan::gui {

DiagnosticsModel::DiagnosticsModel(QObject *parent) : QAbstractTableModel(parent) {}

void DiagnosticsModel::setDiagnostics(const Diagnostics &diagnostics)
{
    beginResetModel();
    m_diagnostics = diagnostics;
    endResetModel();
}

int DiagnosticsModel::errorCount() const
{
    return int(std::count_if(m_diagnostics.begin(), m_diagnostics.end(),
                             [](const Diagnostic &d) { return d.severity == Severity::Error; }));
}

int DiagnosticsModel::warningCount() const
{
    return int(m_diagnostics.size()) - errorCount();
}

int DiagnosticsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_diagnostics.size());
}

int DiagnosticsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString DiagnosticsModel::locationText(const SourceLocation &location)
{
    QString text = QFileInfo(location.file).fileName();
    if (text.isEmpty())
        text = location.file;
    if (location.line > 0) {
        text += QLatin1Char(':') + QString::number(location.line);
        if (location.column > 0)
            text += QLatin1Char(':') + QString::number(location.column);
    }
    return text;
}

QVariant DiagnosticsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Diagnostic &d = m_diagnostics[index.row()];
    const bool error = d.severity == Severity::Error;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeverityColumn:
            return error ? tr("Error") : tr("Warning");
        case MessageColumn:
            return d.message;
        case LocationColumn:
            return locationText(d.location);
        case PointerColumn:
            return d.location.pointer;
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() == SeverityColumn)
            return QIcon(error ? QStringLiteral(":/icons/error.svg") : QStringLiteral(":/icons/warning.svg"));
        return {};
    case Qt::ToolTipRole:
        return formatDiagnostic(d);
    case Qt::AccessibleTextRole:
        return formatDiagnostic(d);
    default:
        return {};
    }
}

QVariant DiagnosticsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case MessageColumn:
        return tr("Message");
    case LocationColumn:
        return tr("Location");
    case PointerColumn:
        return tr("Pointer");
    }
    return {};
}

} // namespace portolan::gui
