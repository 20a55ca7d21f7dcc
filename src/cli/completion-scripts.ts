/**
 * The scripts `completion bash|zsh|fish` prints. Each asks the program itself what may come next
 * (`<bin> __complete -- WORDS... CURRENT`, Cobra's protocol: candidates, then `:<directive>`), so
 * commands, flags and names stay in one place (src/services/completion.ts). Directive bits handled:
 * 1 error (offer nothing), 2 no space after the candidate, 4 no file names, 16 directories only.
 */

function bash(bin: string): string {
  const fn = `_${bin.replace(/[^A-Za-z0-9]/g, '_')}_complete`;
  return `# bash completion for ${bin}: source <(${bin} completion bash)
${fn}() {
  local cur words cword
  if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
    _get_comp_words_by_ref -n =: cur words cword
  else
    cur=\${COMP_WORDS[COMP_CWORD]} words=("\${COMP_WORDS[@]}") cword=$COMP_CWORD
  fi
  local out directive line
  out=$("\${words[0]}" __complete -- "\${words[@]:1:cword-1}" "$cur" 2>/dev/null) || return 0
  directive=\${out##*$'\\n'}
  if [[ $out == *$'\\n'* ]]; then out=\${out%$'\\n'*}; else out=; fi
  directive=\${directive#:}
  [[ $directive =~ ^[0-9]+$ ]] || return 0
  COMPREPLY=()
  (( directive & 1 )) && return 0
  while IFS= read -r line; do
    [[ -n $line ]] && COMPREPLY+=("\${line%%$'\\t'*}")
  done <<< "$out"
  if (( \${#COMPREPLY[@]} == 0 )); then
    if (( directive & 16 )); then
      compopt -o filenames 2>/dev/null
      COMPREPLY=($(compgen -d -- "$cur"))
    elif (( ! (directive & 4) )); then
      compopt -o filenames 2>/dev/null
      COMPREPLY=($(compgen -f -- "$cur"))
    fi
  fi
  (( directive & 2 )) && compopt -o nospace 2>/dev/null
  return 0
}
complete -F ${fn} ${bin}
`;
}

function zsh(bin: string): string {
  const fn = `_${bin.replace(/[^A-Za-z0-9]/g, '_')}`;
  return `#compdef ${bin}
# zsh completion for ${bin}: source <(${bin} completion zsh)  (after compinit)
${fn}() {
  local out directive line value desc
  local -a lines candidates
  out=$("\${words[1]}" __complete -- "\${(@)words[2,CURRENT-1]}" "\${words[CURRENT]}" 2>/dev/null) || return 1
  lines=("\${(@f)out}")
  directive=\${lines[-1]#:}
  [[ $directive == <-> ]] || return 1
  (( directive & 1 )) && return 1
  for line in "\${(@)lines[1,-2]}"; do
    [[ -z $line ]] && continue
    value=\${line%%$'\\t'*}
    desc=
    [[ $line == *$'\\t'* ]] && desc=\${line#*$'\\t'}
    candidates+=("\${value//:/\\\\:}\${desc:+:$desc}")
  done
  if (( \${#candidates} > 0 )); then
    if (( directive & 2 )); then _describe -t values '${bin}' candidates -S ''; else _describe -t values '${bin}' candidates; fi
    return
  fi
  if (( directive & 16 )); then _path_files -/
  elif (( ! (directive & 4) )); then _files
  fi
}
if [[ $funcstack[1] == ${fn} ]]; then ${fn} "$@"; else compdef ${fn} ${bin}; fi
`;
}

function fish(bin: string): string {
  const fn = `__${bin.replace(/[^A-Za-z0-9]/g, '_')}_complete`;
  return `# fish completion for ${bin}: ${bin} completion fish | source
function ${fn}
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l out ($tokens[1] __complete -- $tokens[2..-1] "$current" 2>/dev/null)
    or return
    set -l directive (string replace -r '^:' '' -- $out[-1])
    set -e out[-1]
    string match -qr '^[0-9]+$' -- $directive; or return
    test (math "bitand($directive, 1)") -ne 0; and return
    for line in $out
        test -n "$line"; and printf '%s\\n' $line
    end
    if test (count $out) -eq 0
        if test (math "bitand($directive, 16)") -ne 0
            __fish_complete_directories "$current"
        else if test (math "bitand($directive, 4)") -eq 0
            __fish_complete_path "$current"
        end
    end
end
complete -c ${bin} -f -a '(${fn})'
`;
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export function completionScript(shell: Shell, bin: string): string {
  return {bash, zsh, fish}[shell](bin);
}
