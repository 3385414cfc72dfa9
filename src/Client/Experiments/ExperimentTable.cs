using System.Globalization;
using System.Text;

namespace P2POrleans.Client.Experiments;

/// <summary>The raw measurements of an experiment: named columns, one row per measurement, written as CSV.</summary>
public sealed class ExperimentTable(params string[] columns)
{
    private readonly List<object[]> _rows = [];

    public IReadOnlyList<string> Columns { get; } = columns;

    public IReadOnlyList<object[]> Rows => _rows;

    public void Add(params object[] values)
    {
        if (values.Length != Columns.Count)
        {
            throw new ArgumentException($"expected {Columns.Count} values, got {values.Length}", nameof(values));
        }

        _rows.Add(values);
    }

    public IEnumerable<double> Column(string name)
    {
        var i = Columns.ToList().IndexOf(name);
        return _rows.Select(r => Convert.ToDouble(r[i], CultureInfo.InvariantCulture));
    }

    /// <summary>Invariant culture, fixed precision: the same measurements always give the same bytes.</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', Columns)).Append('\n');
        foreach (var row in _rows)
        {
            sb.Append(string.Join(',', row.Select(Format))).Append('\n');
        }

        return sb.ToString();
    }

    private static string Format(object value) => value switch
    {
        double d => d.ToString("0.######", CultureInfo.InvariantCulture),
        float f => f.ToString("0.######", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
