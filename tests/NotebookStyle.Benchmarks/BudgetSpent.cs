namespace NotebookStyle.Benchmarks;

/// <summary>Thrown from an evaluation once the budget is spent, so that both runtimes stop after exactly N evaluations.</summary>
internal sealed class BudgetSpent() : Exception("evaluation budget spent");
