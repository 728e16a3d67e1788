#pragma once

#include "diagnostic.h"

#include <QAbstractTableModel>

namespace portolan::gui {

// Diagnostics of a load as a table: severity, message, location, pointer.
class DiagnosticsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { SeverityColumn, MessageColumn, LocationColumn, PointerColumn, ColumnCount };

    explicit DiagnosticsModel(QObject *parent = nullptr);

    void setDiagnostics(const Diagnostics &diagnostics);
    const Diagnostic &diagnostic(int row) const { return m_diagnostics[row]; }
    int errorCount() const;
    int warningCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString locationText(const SourceLocation &location);

private:
    Diagnostics m_diagnostics;
};

} // namespace portolan::gui
