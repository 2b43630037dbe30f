using System.Reflection;
using System.Text.RegularExpressions;
using MetaQap.Components.Jobs;
using MetaQap.Components.Training;
using MetaQap.Testing;

namespace MetaQap.Worker.Tests.Security;

/// <summary>
/// SQL goes to PostgreSQL only as constant text with parameters: no statement is ever assembled from a value. The
/// compiler guarantees it for the job store's statements (they are consts); a scan of the sources covers the rest.
/// </summary>
public sealed partial class SqlParameterTests
{
    [Fact]
    public void Every_statement_of_the_job_store_and_the_registry_is_a_compile_time_constant()
    {
        foreach (Type type in new[] { typeof(JobSql), typeof(TrainingSql), typeof(MetaQap.Components.Registry.RegistrySql) })
        {
            FieldInfo[] fields = type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic);

            Assert.NotEmpty(fields);
            Assert.All(fields, f => Assert.True(f.IsLiteral && f.FieldType == typeof(string), $"{type.Name}.{f.Name} is not a const string"));
        }
    }

    [Fact]
    public void No_source_file_builds_sql_from_values_or_runs_sql_that_is_not_a_constant()
    {
        string[] files = RepositoryPaths.SourceFiles("src", "*.cs");
        var problems = new List<string>();
        int commands = 0;
        foreach (string file in files)
        {
            string text = File.ReadAllText(file);
            foreach (Match m in InterpolatedSql().Matches(text))
            {
                problems.Add($"{Path.GetFileName(file)}: SQL in an interpolated string: {m.Value.Trim()}");
            }

            foreach (Match m in CommandText().Matches(text))
            {
                commands++;
                string argument = m.Groups["sql"].Value.Trim();
                if (!ConstantSql().IsMatch(argument))
                {
                    problems.Add($"{Path.GetFileName(file)}: command text is not a constant: {argument}");
                }
            }
        }

        Assert.True(commands >= 10, $"Only {commands} commands found: the scan no longer recognises how SQL is run.");
        Assert.Empty(problems);
    }

    // $"…SELECT … FROM…", $"""…UPDATE … SET…""" and the like: an interpolated string holding a statement.
    [GeneratedRegex("""\$+@?"+[^"]*\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER)\b[^"]*\b(FROM|INTO|SET|WHERE|TABLE)\b""", RegexOptions.IgnoreCase)]
    private static partial Regex InterpolatedSql();

    // The text handed to Npgsql or Dapper: new NpgsqlCommand(x, …), CreateCommand(x), new CommandDefinition(x, …).
    [GeneratedRegex("""(new NpgsqlCommand|\.CreateCommand|new CommandDefinition)\((?<sql>"[^"]*"|[^,)]+)""")]
    private static partial Regex CommandText();

    // A JobSql, TrainingSql or RegistrySql constant, a local/parameter passed through from one (QueryCompletionsAsync's
    // sql), or a plain literal.
    [GeneratedRegex("""^((JobSql|TrainingSql|RegistrySql)\.\w+|sql|"[^"{}]*")$""")]
    private static partial Regex ConstantSql();
}
