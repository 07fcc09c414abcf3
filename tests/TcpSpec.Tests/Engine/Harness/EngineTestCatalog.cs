using System.Reflection;
using System.Runtime.ExceptionServices;
using Xunit.Sdk;

namespace TcpSpec.Tests.Engine;

/// <summary>One engine test method with one set of theory arguments, runnable outside xunit.</summary>
public sealed record EngineTestCase(Type Class, MethodInfo Method, object?[] Arguments)
{
    public string Name => Arguments.Length == 0
        ? $"{Class.Name}.{Method.Name}"
        : $"{Class.Name}.{Method.Name}({string.Join(", ", Arguments)})";

    /// <summary>Runs the test on a fresh instance of its class; throws what the test throws.</summary>
    public void Run()
    {
        var instance = Method.IsStatic ? null : Activator.CreateInstance(Class);
        try
        {
            Method.Invoke(instance, Convert(Method.GetParameters(), Arguments));
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
        finally
        {
            (instance as IDisposable)?.Dispose();
        }
    }

    private static object?[] Convert(ParameterInfo[] parameters, object?[] arguments)
    {
        var converted = new object?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            var arg = i < arguments.Length ? arguments[i] : parameters[i].DefaultValue;
            var type = parameters[i].ParameterType;
            converted[i] = arg is null || type.IsInstanceOfType(arg)
                ? arg
                : type.IsEnum ? Enum.ToObject(type, arg) : System.Convert.ChangeType(arg, type, System.Globalization.CultureInfo.InvariantCulture);
        }
        return converted;
    }
}

/// <summary>
/// Finds, by reflection, every [Fact] and every [Theory] case (with its inline or member data)
/// of the classes deriving from <see cref="EngineTest"/>: the engine tests the coverage sweep runs.
/// </summary>
public static class EngineTestCatalog
{
    public static IReadOnlyList<EngineTestCase> All() =>
        typeof(EngineTest).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(EngineTest)) && !t.IsAbstract)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .SelectMany(Cases)
            .ToList();

    private static IEnumerable<EngineTestCase> Cases(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m.GetCustomAttribute<FactAttribute>() is not null)
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .SelectMany(m => m.GetCustomAttribute<TheoryAttribute>() is null
                ? [new EngineTestCase(type, m, [])]
                : m.GetCustomAttributes<DataAttribute>().SelectMany(d => d.GetData(m)).Select(args => new EngineTestCase(type, m, args)));
}
