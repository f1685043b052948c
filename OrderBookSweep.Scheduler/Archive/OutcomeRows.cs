using OrderBookSweep.Coordination;
using Parquet.Schema;

namespace OrderBookSweep.Scheduler.Archive;

/// <summary>The outcomes file: one row per exchange of the sweep, skipped and cancelled ones included (docs/archive.md, "outcomes").</summary>
internal sealed class OutcomeRows : ParquetRows
{
    private readonly ValueColumn<long> _sweepId;
    private readonly StringColumn _exchange, _outcome, _errorClass, _message, _worker;
    private readonly ValueColumn<int> _symbolsOk, _symbolsFailed, _attempts;
    private readonly NullableColumn<DateTime> _startedAt, _finishedAt;

    public OutcomeRows()
        : this(
            new ValueColumn<long>(new DataField<long>("sweep_id", false)),
            new StringColumn(new DataField<string>("exchange", false)),
            new StringColumn(new DataField<string>("outcome", false)),
            new ValueColumn<int>(new DataField<int>("symbols_ok", false)),
            new ValueColumn<int>(new DataField<int>("symbols_failed", false)),
            new StringColumn(new DataField<string>("error_class", true)),
            new ValueColumn<int>(new DataField<int>("attempts", false)),
            new NullableColumn<DateTime>(ArchiveFields.Timestamp("started_at", nullable: true)),
            new NullableColumn<DateTime>(ArchiveFields.Timestamp("finished_at", nullable: true)),
            new StringColumn(new DataField<string>("message", true)),
            new StringColumn(new DataField<string>("worker", true)))
    {
    }

    private OutcomeRows(
        ValueColumn<long> sweepId, StringColumn exchange, StringColumn outcome, ValueColumn<int> symbolsOk, ValueColumn<int> symbolsFailed,
        StringColumn errorClass, ValueColumn<int> attempts, NullableColumn<DateTime> startedAt, NullableColumn<DateTime> finishedAt,
        StringColumn message, StringColumn worker)
        : base(DefaultRowGroupRows, sweepId, exchange, outcome, symbolsOk, symbolsFailed, errorClass, attempts, startedAt, finishedAt, message, worker)
    {
        (_sweepId, _exchange, _outcome, _symbolsOk, _symbolsFailed, _errorClass, _attempts, _startedAt, _finishedAt, _message, _worker) =
            (sweepId, exchange, outcome, symbolsOk, symbolsFailed, errorClass, attempts, startedAt, finishedAt, message, worker);
    }

    public void Add(long sweepId, string exchange, ExchangeOutcome outcome)
    {
        Reserve(1);
        var row = Count++;
        _sweepId.Values[row] = sweepId;
        _exchange.Values[row] = exchange;
        _outcome.Values[row] = StoredName<ExchangeOutcomeKind>.Of(outcome.Outcome);
        _symbolsOk.Values[row] = outcome.SymbolsOk;
        _symbolsFailed.Values[row] = outcome.SymbolsFailed;
        _errorClass.Values[row] = outcome.ErrorClass;
        _attempts.Values[row] = outcome.Attempts;
        _startedAt.Values[row] = outcome.StartedAt?.UtcDateTime;
        _finishedAt.Values[row] = outcome.FinishedAt?.UtcDateTime;
        _message.Values[row] = outcome.Message;
        _worker.Values[row] = outcome.Worker;
    }
}
