from budgetai.evaluate.prompts import assemble_program, build_messages
from budgetai.suites.load import Problem

MULTIPLE = Problem(
    id="HumanEval_x_add", language="haskell", format="multipl-e", entry="addAll",
    prompt="-- | Sum a list.\naddAll :: [Int] -> Int\naddAll xs =",
    tests="\nmain :: IO ()\nmain = do\n  if addAll [1,2] == 3 then pure () else error \"assertion failed\"\n",
    stop_tokens=["\n\n"])
STDIO = Problem(id="p", prompt="# Echo\nPrint the input.", tests=[{"input": "a", "output": "a"}],
                language="haskell", format="stdio")
PYTHON = Problem(id="HumanEval/0", language="python", format="humaneval-python", entry="add",
                 prompt="from typing import List\n\ndef add(a, b):\n    \"\"\"Add.\"\"\"\n",
                 tests="def check(candidate):\n    assert candidate(1, 2) == 3\n")


def test_messages_ask_for_a_fenced_program():
    system, user = build_messages(STDIO)
    assert system["role"] == "system" and user["role"] == "user"
    assert "standard input" in user["content"] and "```haskell" in user["content"]
    assert "# Echo" in user["content"]
    _, user = build_messages(MULTIPLE)
    assert "```haskell\n-- | Sum a list.\naddAll :: [Int] -> Int\naddAll xs =\n```" in user["content"]


def test_multipl_e_continuation_is_appended_to_the_prompt():
    files = assemble_program(MULTIPLE, " sum xs")
    assert files["BudgetAISolution.hs"].endswith(MULTIPLE.prompt + " sum xs\n")
    assert files["BudgetAITests.hs"].rstrip().endswith('error "assertion failed"')


def test_multipl_e_repeated_signature_replaces_the_stub_and_hoists_imports():
    code = ("module Main where\nimport Data.List (foldl')\n\naddAll :: [Int] -> Int\n"
            "addAll = foldl' (+) 0\n\nmain :: IO ()\nmain = print (addAll [1])\n")
    program = assemble_program(MULTIPLE, code)["BudgetAISolution.hs"]
    assert program.startswith("module BudgetAISolution where\nimport Data.List (foldl')\n")
    assert "addAll xs =" not in program  # the prompt's stub is gone
    assert "main" not in program  # the model's own main was dropped
    assert "module Main" not in program


def test_multipl_e_bare_expression_at_column_zero_is_indented():
    program = assemble_program(MULTIPLE, "sum\n  xs")["BudgetAISolution.hs"]
    assert "addAll xs =\n    sum\n      xs" in program


def test_stdio_program_is_the_code_and_python_gets_check():
    assert assemble_program(STDIO, "main = interact id") == {"Main.hs": "main = interact id\n"}
    program = assemble_program(PYTHON, "    return a + b\n")["main.py"]
    assert PYTHON.prompt + "    return a + b" in program
    assert program.rstrip().endswith("_budgetai_main(check, add)")
    assert program.index("stdin.readline()") < program.index(PYTHON.prompt)  # before the answer runs
    full = assemble_program(PYTHON, "def add(a, b):\n    return a + b")["main.py"]
    assert "from typing import List\ndef add(a, b):" in full
