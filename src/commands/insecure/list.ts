import {listShowCommand} from '../../lib/list-commands.js';

export default listShowCommand('insecure');
