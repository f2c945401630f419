"""rlua: a Lua 5.4 interpreter written in RPython.

Pipeline: lexer -> parser (AST, astnodes) -> compiler (bytecode, opcodes)
-> interpreter (bytecode loop with a JitDriver) over the object model in
objects/table.  Each standard library lives in its own lib_*.py module.
"""
